package io.foldwise.select;

import static org.apache.spark.sql.functions.rand;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static final Map<Integer, Integer> COUNTS = new TreeMap<>(Map.of(0, 30, 1, 17, 2, 9, 3, 2, 4, 1, 5, 10));
    private static final Dataset<Row> IMAGES = SplitData.images(COUNTS);

    /** round(n × f) with halves up, in decimal, clamped to [1, n − 1] for n ≥ 2; 0 for n = 1. */
    private static int expectedHeldOut(int n, double fraction) {
        if (n < 2) {
            return 0;
        }
        int r = BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.HALF_UP).intValue();
        return Math.max(1, Math.min(n - 1, r));
    }

    private static int expectedSubsample(int n, double fraction) {
        return BigDecimal.valueOf(fraction).multiply(BigDecimal.valueOf(n)).setScale(0, RoundingMode.CEILING).intValue();
    }

    @Test
    void holdoutIsStratifiedAndPartitionsTheImages() {
        for (double fraction : List.of(0.2, 0.1, 0.35, 0.5)) {
            Split split = Splits.holdout(IMAGES, fraction, 11);
            List<String> held = SplitData.ids(split.heldOut());
            List<String> train = SplitData.ids(split.train());
            Map<Integer, Integer> heldCounts = SplitData.countsByLabel(held);
            COUNTS.forEach((label, n) -> assertThat(heldCounts.getOrDefault(label, 0))
                    .as("fraction %s, class %d of %d", fraction, label, n).isEqualTo(expectedHeldOut(n, fraction)));
            Set<String> union = new HashSet<>(held);
            union.addAll(train);
            assertThat(held.size() + train.size()).isEqualTo(union.size());
            assertThat(union).containsExactlyInAnyOrderElementsOf(SplitData.ids(IMAGES));
            assertThat(split.train().columns()).containsExactly(IMAGES.columns());
        }
    }

    @Test
    void holdoutIsDeterministicAndSeeded() {
        List<String> a = SplitData.ids(Splits.holdout(IMAGES, 0.2, 11).heldOut());
        List<String> b = SplitData.ids(Splits.holdout(IMAGES.orderBy(rand(5)).repartition(7), 0.2, 11).heldOut());
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
        List<String> other = SplitData.ids(Splits.holdout(IMAGES, 0.2, 12).heldOut());
        assertThat(new HashSet<>(other)).isNotEqualTo(new HashSet<>(a));
        assertThatThrownBy(() -> Splits.holdout(IMAGES, 1.0, 1)).hasMessageContaining("got 1.0");
        assertThatThrownBy(() -> Splits.holdout(IMAGES, 0, 1)).hasMessageContaining("got 0.0");
    }

    @Test
    void subsampleIsStratifiedAndNested() {
        List<Double> fractions = List.of(0.1, 0.25, 0.5, 0.75, 1.0);
        Set<String> previous = Set.of();
        for (double fraction : fractions) {
            List<String> ids = SplitData.ids(Splits.subsample(IMAGES, fraction, 3));
            Map<Integer, Integer> counts = SplitData.countsByLabel(ids);
            COUNTS.forEach((label, n) -> assertThat(counts.getOrDefault(label, 0))
                    .as("fraction %s, class %d of %d", fraction, label, n).isEqualTo(expectedSubsample(n, fraction)));
            assertThat(ids).containsAll(previous).doesNotHaveDuplicates();
            previous = new HashSet<>(ids);
        }
        assertThat(previous).containsExactlyInAnyOrderElementsOf(SplitData.ids(IMAGES));
    }

    @Test
    void subsampleIsDeterministicAndSeeded() {
        List<String> a = SplitData.ids(Splits.subsample(IMAGES, 0.5, 3));
        List<String> b = SplitData.ids(Splits.subsample(IMAGES.repartition(7).orderBy(rand(8)), 0.5, 3));
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);
        assertThat(new HashSet<>(SplitData.ids(Splits.subsample(IMAGES, 0.5, 4)))).isNotEqualTo(new HashSet<>(a));
        assertThatThrownBy(() -> Splits.subsample(IMAGES, 1.5, 1)).hasMessageContaining("got 1.5");
    }
}
