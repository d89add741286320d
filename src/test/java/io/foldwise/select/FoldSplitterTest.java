package io.foldwise.select;

import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FoldSplitterTest {
    /** 66 images in 5 classes of uneven sizes, none a multiple of k = 4. */
    private static final Map<Integer, Integer> COUNTS = new TreeMap<>(Map.of(0, 23, 1, 17, 2, 9, 5, 6, 7, 11));
    private static final int K = 4;
    private static final long SEED = 42;
    private static Dataset<Row> images;
    private static Map<String, Integer> folds;

    @BeforeAll
    static void assign() {
        images = SplitData.images(COUNTS);
        folds = SplitData.intById(FoldSplitter.assign(images, K, SEED), FoldSplitter.FOLD);
    }

    private static int labelOf(String id) {
        return Integer.parseInt(id.substring(1, id.indexOf('-')));
    }

    @Test
    void coversEveryImageExactlyOnceWithFoldsInRange() {
        List<String> all = SplitData.ids(images);
        assertThat(folds.keySet()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(folds.values()).allMatch(f -> f >= 0 && f < K);
        Dataset<Row> assigned = FoldSplitter.assign(images, K, SEED);
        assertThat(assigned.count()).isEqualTo(COUNTS.values().stream().mapToInt(Integer::intValue).sum());
        List<String> expectedColumns = new ArrayList<>(List.of(images.columns()));
        expectedColumns.addAll(List.of("fold", FoldSplitter.FOLD_POSITION, FoldSplitter.FOLD_CLASS_COUNT));
        assertThat(assigned.columns()).containsExactlyElementsOf(expectedColumns);
        assertThat(assigned.schema().apply("fold").dataType()).isEqualTo(DataTypes.IntegerType);
    }

    @Test
    void positionsNumberEachClassOfEachFoldFromZeroInHashOrder() {
        List<Row> rows = FoldSplitter.assign(images, K, SEED).select(col("label"), col("fold"),
                col(FoldSplitter.FOLD_POSITION), col(FoldSplitter.FOLD_CLASS_COUNT)).collectAsList();
        Map<String, List<Long>> positions = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (Row r : rows) {
            String key = r.get(0) + "/" + r.getInt(1);
            positions.computeIfAbsent(key, x -> new ArrayList<>()).add(r.getLong(2));
            assertThat(counts.computeIfAbsent(key, x -> r.getLong(3))).as("one count per class and fold")
                    .isEqualTo(r.getLong(3));
        }
        positions.forEach((key, list) -> {
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < list.size(); i++) {
                expected.add(i);
            }
            assertThat(list).as(key).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(counts.get(key)).as(key).isEqualTo(list.size());
        });
    }

    @Test
    void perFoldClassCountsDifferByAtMostOne() {
        for (int label : COUNTS.keySet()) {
            int[] perFold = new int[K];
            folds.forEach((id, f) -> {
                if (labelOf(id) == label) {
                    perFold[f]++;
                }
            });
            int n = COUNTS.get(label);
            for (int c : perFold) {
                assertThat(c).as("class %d of %d images over %d folds", label, n, K).isBetween(n / K, (n + K - 1) / K);
            }
        }
    }

    @Test
    void totalFoldSizesAreBalanced() {
        int[] sizes = new int[K];
        folds.values().forEach(f -> sizes[f]++);
        int n = folds.size();
        for (int s : sizes) {
            assertThat(s).isBetween(n / K, (n + K - 1) / K);
        }
    }

    @Test
    void foldsAreDisjointAndTrainIsTheRest() {
        Dataset<Row> assigned = FoldSplitter.assign(images, K, SEED);
        List<Fold> all = FoldSplitter.folds(assigned, K);
        assertThat(all).hasSize(K);
        Set<String> seen = new HashSet<>();
        for (Fold fold : all) {
            List<String> validation = SplitData.ids(fold.validation());
            List<String> train = SplitData.ids(fold.train());
            Set<String> expectedValidation = new HashSet<>();
            folds.forEach((id, f) -> {
                if (f == fold.index()) {
                    expectedValidation.add(id);
                }
            });
            assertThat(validation).containsExactlyInAnyOrderElementsOf(expectedValidation);
            assertThat(Collections.disjoint(train, validation)).isTrue();
            assertThat(train.size() + validation.size()).isEqualTo(folds.size());
            assertThat(fold.train().columns()).containsExactly(images.columns());
            for (String id : validation) {
                assertThat(seen.add(id)).as("%s validated twice", id).isTrue();
            }
        }
        assertThat(seen).hasSize(folds.size());
        assertThatThrownBy(() -> FoldSplitter.fold(assigned, K, K)).hasMessageContaining("got " + K);
    }

    @Test
    void dependsOnlyOnSeedAndIds() {
        assertThat(SplitData.intById(FoldSplitter.assign(images.repartition(7), K, SEED), "fold")).isEqualTo(folds);
        assertThat(SplitData.intById(FoldSplitter.assign(images.orderBy(rand(3)), K, SEED), "fold")).isEqualTo(folds);
        assertThat(SplitData.intById(FoldSplitter.assign(images.orderBy(rand(4)).repartition(3), K, SEED), "fold"))
                .isEqualTo(folds);
        assertThat(SplitData.intById(FoldSplitter.assign(images, K, SEED), "fold")).isEqualTo(folds);
    }

    @Test
    void anotherSeedGivesAnotherAssignmentWithTheSameGuarantees() {
        Map<String, Integer> other = SplitData.intById(FoldSplitter.assign(images, K, SEED + 1), "fold");
        assertThat(other.keySet()).isEqualTo(folds.keySet());
        long moved = other.entrySet().stream().filter(e -> !e.getValue().equals(folds.get(e.getKey()))).count();
        assertThat(moved).isGreaterThan(folds.size() / 4);
    }

    @Test
    void kDividingNoClassAndKEqualToTheSmallestClass() {
        Map<Integer, Integer> counts = Map.of(0, 7, 1, 5, 2, 13);
        Dataset<Row> df = SplitData.images(counts);
        for (int k : List.of(2, 3, 5)) {
            Map<String, Integer> f = SplitData.intById(FoldSplitter.assign(df, k, 9), "fold");
            Map<Integer, int[]> perClass = new HashMap<>();
            int[] sizes = new int[k];
            f.forEach((id, fold) -> {
                perClass.computeIfAbsent(labelOf(id), l -> new int[k])[fold]++;
                sizes[fold]++;
            });
            perClass.forEach((label, perFold) -> {
                int n = counts.get(label);
                for (int c : perFold) {
                    assertThat(c).isBetween(n / k, (n + k - 1) / k);
                }
            });
            int n = f.size();
            for (int s : sizes) {
                assertThat(s).as("k=%d fold sizes", k).isBetween(n / k, (n + k - 1) / k);
            }
        }
    }

    @Test
    void singleClassSplits() {
        Dataset<Row> df = SplitData.images(Map.of(3, 10));
        Map<String, Integer> f = SplitData.intById(FoldSplitter.assign(df, 3, 1), "fold");
        int[] sizes = new int[3];
        f.values().forEach(v -> sizes[v]++);
        assertThat(sizes).containsExactlyInAnyOrder(4, 3, 3);
    }

    @Test
    void kBelowTwoIsAConfigError() {
        assertThatThrownBy(() -> FoldSplitter.assign(images, 1, SEED))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("sweep.folds must be >= 2, got 1")
                .satisfies(e -> assertThat(((InvalidConfigException) e).exitCode()).isEqualTo(2));
    }

    @Test
    void kLargerThanTheSmallestClassNamesKeyValueAndClass() {
        int smallestLabel = COUNTS.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        int smallest = COUNTS.get(smallestLabel);
        assertThatThrownBy(() -> FoldSplitter.assign(images, smallest + 1, SEED))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sweep.folds")
                .hasMessageContaining("got " + (smallest + 1))
                .hasMessageContaining("class " + smallestLabel + " (class" + smallestLabel + ")")
                .hasMessageContaining("has " + smallest + " images")
                .satisfies(e -> assertThat(((InvalidConfigException) e).exitCode()).isEqualTo(2));
        assertThat(SplitData.intById(FoldSplitter.assign(images, smallest, SEED), "fold")).hasSize(folds.size());
    }

    @Test
    void emptyInputAndRepeatedIdsAreDataErrors() {
        Dataset<Row> empty = images.limit(0);
        assertThatThrownBy(() -> FoldSplitter.assign(empty, K, SEED))
                .isInstanceOf(FoldwiseException.class)
                .hasMessageContaining("no images")
                .satisfies(e -> assertThat(((FoldwiseException) e).exitCode()).isEqualTo(FoldwiseException.DATA));
        Dataset<Row> repeated = images.union(images.limit(1));
        assertThatThrownBy(() -> FoldSplitter.assign(repeated, K, SEED))
                .isInstanceOf(FoldwiseException.class)
                .hasMessageContaining("ids must be unique")
                .satisfies(e -> assertThat(((FoldwiseException) e).exitCode()).isEqualTo(FoldwiseException.DATA));
    }
}
