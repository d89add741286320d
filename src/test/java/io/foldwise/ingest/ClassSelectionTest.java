package io.foldwise.ingest;

import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.gray;
import static io.foldwise.ingest.TestImages.idxImages;
import static io.foldwise.ingest.TestImages.idxLabels;
import static io.foldwise.ingest.TestImages.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.ClassMap;
import io.foldwise.config.DataConfig;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** data.classes and data.limitPerClass applied by ingest, to folders and IDX, training and test alike. */
class ClassSelectionTest {
    private static final ImageShape SHAPE = new ImageShape(2, 2, 1);
    private static final ClassMap THREE_VS_REST = ClassMap.of(Map.of("3", "three", "*", "rest"));

    @TempDir
    Path dir;

    /** Class folders 0, 3, 5 holding 4, 3 and 5 images. */
    private Path folders(String name) throws IOException {
        Path root = dir.resolve(name);
        int[][] counts = {{0, 4}, {3, 3}, {5, 5}};
        for (int[] c : counts) {
            for (int i = 0; i < c[1]; i++) {
                write(root.resolve(c[0] + "/" + i + ".png"), gray(2, 2, 10 * c[0] + i));
            }
        }
        return root;
    }

    private static DataConfig config(DataFormat format, Path train, Optional<String> trainLabels, Path test,
                                     Optional<String> testLabels, ClassMap classes, long perClass) {
        return new DataConfig(format, train.toString(), trainLabels, Optional.ofNullable(test).map(Path::toString),
                testLabels, 0.2, 0, SHAPE, classes, perClass, 7);
    }

    private static Map<String, String> classOfId(LabeledImages images) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : images.frame().collectAsList()) {
            String name = r.getString(r.fieldIndex(ImageSchema.LABEL_NAME));
            assertThat(images.labelNames().get(r.getInt(r.fieldIndex(ImageSchema.LABEL)))).isEqualTo(name);
            out.put(r.getString(r.fieldIndex(ImageSchema.ID)), name);
        }
        return out;
    }

    @Test
    void foldersMapMergeAndKeepSourceIds() throws IOException {
        Path root = folders("train");
        DataConfig data = config(DataFormat.FOLDERS, root, Optional.empty(), folders("test"), Optional.empty(),
                THREE_VS_REST, 0);
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(train.labelNames()).containsExactly("rest", "three");
            assertThat(train.classCounts()).containsExactly(Map.entry("rest", 9L), Map.entry("three", 3L));
            Map<String, String> byId = classOfId(train);
            assertThat(byId).hasSize(12).containsEntry("3/0.png", "three").containsEntry("0/0.png", "rest")
                    .containsEntry("5/4.png", "rest");
            try (LabeledImages test = Ingestor.readTest(TestSpark.session(), data, STRICT, train.labelNames())) {
                assertThat(classOfId(test)).isEqualTo(byId);
            }
        }
    }

    @Test
    void aListKeepsOnlyThoseFolders() throws IOException {
        DataConfig data = config(DataFormat.FOLDERS, folders("train"), Optional.empty(), null, Optional.empty(),
                ClassMap.keep(List.of("0", "5")), 0);
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(train.labelNames()).containsExactly("0", "5");
            assertThat(new TreeSet<>(classOfId(train).values())).containsExactly("0", "5");
            assertThat(train.count()).isEqualTo(9);
        }
    }

    @Test
    void idxMapsLabelsTheSameWay() throws IOException {
        byte[] labels = {0, 3, 5, 3, 0, 5, 5, 0};
        Path images = idxImages(dir.resolve("img"), labels.length, 2, 2, new byte[labels.length * 4], false);
        Path labelFile = idxLabels(dir.resolve("lbl"), labels, false);
        DataConfig data = config(DataFormat.IDX, images, Optional.of(labelFile.toString()), images,
                Optional.of(labelFile.toString()), THREE_VS_REST, 0);
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(train.labelNames()).containsExactly("rest", "three");
            assertThat(train.classCounts()).containsExactly(Map.entry("rest", 6L), Map.entry("three", 2L));
            Map<String, String> byId = classOfId(train);
            for (int i = 0; i < labels.length; i++) {
                assertThat(byId.get("img#" + i)).isEqualTo(labels[i] == 3 ? "three" : "rest");
            }
            try (LabeledImages test = Ingestor.readTest(TestSpark.session(), data, STRICT, train.labelNames())) {
                assertThat(classOfId(test)).isEqualTo(byId);
            }
        }
        DataConfig keep = config(DataFormat.IDX, images, Optional.of(labelFile.toString()), null, Optional.empty(),
                ClassMap.keep(List.of("0", "5")), 0);
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), keep, STRICT)) {
            assertThat(train.classCounts()).containsExactly(Map.entry("0", 3L), Map.entry("5", 3L));
        }
    }

    @Test
    void idxLimitCountsTheImagesDataClassesKeeps() throws IOException {
        byte[] labels = {0, 3, 5, 3, 0, 5, 5, 0};
        Path images = idxImages(dir.resolve("img"), labels.length, 2, 2, new byte[labels.length * 4], false);
        Path labelFile = idxLabels(dir.resolve("lbl"), labels, false);
        // Records 0 (class 0) and 2 (class 5) are the first two kept; records of class 3 do not count.
        DataConfig limited = new DataConfig(DataFormat.IDX, images.toString(), Optional.of(labelFile.toString()),
                Optional.empty(), Optional.empty(), 0.2, 3, SHAPE, ClassMap.keep(List.of("0", "5")), 0, 7);
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), limited, STRICT)) {
            assertThat(classOfId(train)).containsExactly(Map.entry("img#0", "0"), Map.entry("img#2", "5"),
                    Map.entry("img#4", "0"));
        }
    }

    @Test
    void unknownClassIsAConfigErrorAndOneClassLeftIsADataError() throws IOException {
        Path root = folders("train");
        FoldwiseException unknown = catchThrowableOfType(FoldwiseException.class, () -> Ingestor.readTrain(
                TestSpark.session(), config(DataFormat.FOLDERS, root, Optional.empty(), null, Optional.empty(),
                        ClassMap.keep(List.of("0", "7")), 0), STRICT));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.getMessage()).contains("data.classes").contains("7").contains("[0, 3, 5]");
        FoldwiseException one = catchThrowableOfType(FoldwiseException.class, () -> Ingestor.readTrain(
                TestSpark.session(), config(DataFormat.FOLDERS, root, Optional.empty(), null, Optional.empty(),
                        ClassMap.of(Map.of("*", "all")), 0), STRICT));
        assertThat(one.exitCode()).isEqualTo(3);
        assertThat(one.getMessage()).contains("data.classes").contains("only one class (all)");
    }

    @Test
    void positiveClassBecomesLabelOneAndMustNameOneOfTwo() throws IOException {
        Path root = folders("train");
        ClassMap map = ClassMap.of(Map.of("3", "a-three", "*", "rest"));
        DataConfig data = new DataConfig(DataFormat.FOLDERS, root.toString(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0.2, 0, SHAPE, map, 0, 7, Optional.of("a-three"));
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(train.labelNames()).containsExactly("rest", "a-three");
            assertThat(classOfId(train)).containsEntry("3/0.png", "a-three").containsEntry("0/0.png", "rest");
            assertThat(train.classCounts()).containsExactly(Map.entry("rest", 9L), Map.entry("a-three", 3L));
        }
        FoldwiseException bad = catchThrowableOfType(FoldwiseException.class, () -> Ingestor.readTrain(
                TestSpark.session(), new DataConfig(DataFormat.FOLDERS, root.toString(), Optional.empty(),
                        Optional.empty(), Optional.empty(), 0.2, 0, SHAPE, ClassMap.ALL, 0, 7, Optional.of("3")),
                STRICT));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.getMessage()).contains("data.positiveClass").contains("[0, 3, 5]");
    }

    @Test
    void limitPerClassIsStratifiedAndSeeded() throws IOException {
        Path root = folders("train");
        DataConfig data = config(DataFormat.FOLDERS, root, Optional.empty(), root, Optional.empty(), ClassMap.ALL, 4);
        Map<String, String> first;
        try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(train.classCounts()).containsExactly(Map.entry("0", 4L), Map.entry("3", 3L), Map.entry("5", 4L));
            first = classOfId(train);
            assertThat(first).hasSize(11);
            try (LabeledImages test = Ingestor.readTest(TestSpark.session(), data, STRICT, train.labelNames())) {
                assertThat(classOfId(test)).isEqualTo(first);
            }
        }
        try (LabeledImages again = Ingestor.readTrain(TestSpark.session(), data, STRICT)) {
            assertThat(classOfId(again)).isEqualTo(first);
        }
        // the seed decides which image of the cut class goes: not always the same one
        Map<String, Integer> dropped = new HashMap<>();
        for (long seed = 1; seed <= 3; seed++) {
            DataConfig other = new DataConfig(DataFormat.FOLDERS, root.toString(), Optional.empty(), Optional.empty(),
                    Optional.empty(), 0.2, 0, SHAPE, ClassMap.ALL, 4, seed);
            try (LabeledImages train = Ingestor.readTrain(TestSpark.session(), other, STRICT)) {
                for (int i = 0; i < 5; i++) {
                    if (!classOfId(train).containsKey("5/" + i + ".png")) {
                        dropped.merge("5/" + i + ".png", 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(dropped.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(dropped).hasSizeGreaterThan(1);
    }
}
