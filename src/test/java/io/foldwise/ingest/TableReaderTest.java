package io.foldwise.ingest;

import static io.foldwise.ingest.IdxReaderTest.assertData;
import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.byId;
import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.DataColumns;
import io.foldwise.config.DataConfig;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet and table input: both image kinds read as the same images as folders; bad columns are data errors. */
class TableReaderTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);

    @TempDir
    static Path tmp;
    static Path encoded;
    static Path pixels;

    @BeforeAll
    static void write() {
        encoded = SampleTables.write(spark(), TestSpark.sample("test"), tmp.resolve("encoded.parquet"),
                SampleTables.Kind.ENCODED);
        pixels = SampleTables.write(spark(), TestSpark.sample("test"), tmp.resolve("pixels.parquet"),
                SampleTables.Kind.PIXELS);
    }

    static SparkSession spark() {
        return TestSpark.session();
    }

    static DataConfig config(DataFormat format, String train, DataColumns columns) {
        return new DataConfig(format, train, Optional.empty(), Optional.empty(), Optional.empty(), 0.2, 0, MNIST,
                columns);
    }

    static LabeledImages read(DataFormat format, String train, DataColumns columns) {
        return Ingestor.readTrain(spark(), config(format, train, columns), STRICT);
    }

    @Test
    void encodedBytesAndPixelArraysReadAsTheSameImagesAsFolders() {
        DataColumns withPath = new DataColumns("id", "label", "image", Optional.of("source"));
        try (LabeledImages folders = read(DataFormat.FOLDERS, TestSpark.sample("test").toString(), DataColumns.DEFAULT);
             LabeledImages fromBytes = read(DataFormat.PARQUET, encoded.toString(), withPath);
             LabeledImages fromPixels = read(DataFormat.PARQUET, pixels.toString(), DataColumns.DEFAULT)) {
            for (LabeledImages table : List.of(fromBytes, fromPixels)) {
                assertThat(table.labelNames()).isEqualTo(folders.labelNames());
                assertThat(table.classCounts()).isEqualTo(folders.classCounts());
                // id, label and pixels are hashed: equal fingerprints mean equal images under equal ids
                assertThat(table.fingerprint()).isEqualTo(folders.fingerprint());
            }
            Map<String, Row> byFolder = byId(folders.frame());
            Map<String, Row> byBytes = byId(fromBytes.frame());
            Map<String, Row> byPixels = byId(fromPixels.frame());
            String some = byFolder.keySet().iterator().next();
            assertThat(byBytes.get(some).<Float>getList(byBytes.get(some).fieldIndex(ImageSchema.PIXELS)))
                    .isEqualTo(byFolder.get(some).getList(byFolder.get(some).fieldIndex(ImageSchema.PIXELS)));
            // the path column where given, else the id
            Row b = byBytes.get(some);
            assertThat(b.getString(b.fieldIndex(ImageSchema.PATH))).endsWith(some.substring(some.indexOf('/') + 1))
                    .startsWith("file:");
            Row p = byPixels.get(some);
            assertThat(p.getString(p.fieldIndex(ImageSchema.PATH))).isEqualTo(some);
        }
    }

    @Test
    void aCatalogTableReadsLikeItsParquetFiles() {
        spark().read().parquet(pixels.toString()).write().mode(SaveMode.Overwrite).saveAsTable("foldwise_pixels");
        try (LabeledImages table = read(DataFormat.TABLE, "default.foldwise_pixels", DataColumns.DEFAULT);
             LabeledImages files = read(DataFormat.PARQUET, pixels.toString(), DataColumns.DEFAULT)) {
            assertThat(table.fingerprint()).isEqualTo(files.fingerprint());
        } finally {
            spark().sql("DROP TABLE IF EXISTS foldwise_pixels");
        }
        assertData(() -> read(DataFormat.TABLE, "default.no_such_table", DataColumns.DEFAULT),
                "data.train default.no_such_table", "no such table");
    }

    @Test
    void dataClassesMapTheLabelColumnAsTheyMapFolders() {
        io.foldwise.config.ClassMap threeVsRest = io.foldwise.config.ClassMap.of(Map.of("3", "three", "*", "rest"));
        io.foldwise.config.ClassMap keep = io.foldwise.config.ClassMap.keep(List.of("3", "5"));
        for (io.foldwise.config.ClassMap classes : List.of(threeVsRest, keep)) {
            try (LabeledImages folders = Ingestor.readTrain(spark(), classes(DataFormat.FOLDERS,
                         TestSpark.sample("test").toString(), classes), STRICT);
                 LabeledImages table = Ingestor.readTrain(spark(), classes(DataFormat.PARQUET, pixels.toString(),
                         classes), STRICT)) {
                assertThat(table.labelNames()).isEqualTo(folders.labelNames()).hasSize(2);
                assertThat(table.classCounts()).isEqualTo(folders.classCounts());
                assertThat(table.fingerprint()).isEqualTo(folders.fingerprint());
            }
        }
    }

    private static DataConfig classes(DataFormat format, String train, io.foldwise.config.ClassMap classes) {
        return new DataConfig(format, train, Optional.empty(), Optional.empty(), Optional.empty(), 0.2, 0, MNIST,
                classes, 0, 0);
    }

    @Test
    void aMissingColumnIsADataErrorNamingItAndTheFile() {
        assertData(() -> read(DataFormat.PARQUET, encoded.toString(),
                        new DataColumns("id", "class", "image", Optional.empty())),
                "data.train " + encoded, "no column \"class\" (data.columns.label)", "label string");
    }

    @Test
    void aColumnOfTheWrongTypeIsADataError() {
        assertData(() -> read(DataFormat.PARQUET, encoded.toString(),
                        new DataColumns("id", "label", "source", Optional.empty())),
                "data.train " + encoded, "column \"source\" (data.columns.image) is string", "binary");
        assertData(() -> read(DataFormat.PARQUET, encoded.toString(),
                        new DataColumns("id", "image", "image", Optional.empty())),
                "column \"image\" (data.columns.label) is binary");
    }

    @Test
    void aNullLabelIsADataError() {
        Path withNull = rewrite(pixels, "null-label.parquet", "id",
                "CASE WHEN id = '3/" + firstOfClass("3") + "' THEN NULL ELSE label END AS label", "image");
        assertData(() -> read(DataFormat.PARQUET, withNull.toString(), DataColumns.DEFAULT),
                "data.train " + withNull, "1 row has a null label in column \"label\" (data.columns.label)");
    }

    @Test
    void pixelArraysOfTheWrongLengthOrRangeAreNamed() {
        Path bad = rewrite(pixels, "bad-pixels.parquet", "id", "label", "CASE WHEN id LIKE '1/%' THEN "
                + "slice(image, 1, 700) WHEN id LIKE '2/%' THEN transform(image, x -> x + 300) ELSE image END AS image");
        assertData(() -> read(DataFormat.PARQUET, bad.toString(), DataColumns.DEFAULT), "data.train " + bad,
                "100 of 500 pixel arrays", "not 784 values long", "1/" + firstOfClass("1") + " (700 values)");
    }

    @Test
    void undecodableBytesAreUnreadableFiles() {
        Path bad = rewrite(encoded, "bad-bytes.parquet", "id", "label",
                "CASE WHEN id LIKE '4/%' THEN CAST('not a png' AS BINARY) ELSE image END AS image");
        assertData(() -> read(DataFormat.PARQUET, bad.toString(), DataColumns.DEFAULT),
                "data.train " + bad, "could not be decoded as images", "4/");
    }

    @Test
    void testInputMapsThroughTheTrainingClassesAndAnUnknownClassIsNamed() {
        DataConfig data = new DataConfig(DataFormat.PARQUET, pixels.toString(), Optional.empty(),
                Optional.of(encoded.toString()), Optional.empty(), 0.2, 0, MNIST, DataColumns.DEFAULT);
        List<String> training = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "x");
        try (LabeledImages test = Ingestor.readTest(spark(), data, STRICT, training)) {
            assertThat(test.labelNames()).isEqualTo(training);
            assertThat(test.classCounts().get("x")).isZero();
            assertThat(test.classCounts().get("7")).isPositive();
        }
        assertData(() -> Ingestor.readTest(spark(), data, STRICT, training.subList(1, training.size())),
                "data.test " + encoded, "label 0", "in column \"label\"", "not among the training classes");
    }

    /** A copy of {@code from} under {@code name} with its columns as the SQL expressions say. */
    private static Path rewrite(Path from, String name, String... columns) {
        Path to = tmp.resolve(name);
        spark().read().parquet(from.toString()).selectExpr(columns).write().mode(SaveMode.Overwrite)
                .parquet(to.toString());
        return to;
    }

    private static String firstOfClass(String label) {
        return spark().read().parquet(pixels.toString()).filter("label = '" + label + "'").selectExpr("min(id)")
                .first().getString(0).substring(label.length() + 1);
    }
}
