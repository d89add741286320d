package io.foldwise.ingest;

import io.foldwise.config.DataConfig;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Test support: a folder dataset ({@code <root>/<class>/*.png}) written as Parquet with the
 * default column names, the id being the folder reader's id ({@code class/file.png}), as the
 * PNG files' bytes or as the pixels the folder reader decodes (integers 0-255, HWC).
 */
public final class SampleTables {
    private SampleTables() {
    }

    /** Image column kinds. */
    public enum Kind { ENCODED, PIXELS }

    /** Writes {@code folders} as Parquet at {@code target} (replaced) and returns its path. */
    public static Path write(SparkSession spark, Path folders, Path target, Kind kind) {
        Dataset<Row> frame = kind == Kind.ENCODED ? encoded(spark, folders) : pixels(spark, folders);
        frame.write().mode(SaveMode.Overwrite).parquet(target.toString());
        return target;
    }

    private static Dataset<Row> encoded(SparkSession spark, Path folders) {
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folders)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                String label = p.getParent().getFileName().toString();
                rows.add(RowFactory.create(label + "/" + p.getFileName(), label, Files.readAllBytes(p),
                        p.toUri().toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.StringType)
                .add("image", DataTypes.BinaryType).add("source", DataTypes.StringType);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    private static Dataset<Row> pixels(SparkSession spark, Path folders) {
        ImageShape shape = new ImageShape(28, 28, 1);
        DataConfig data = new DataConfig(DataFormat.FOLDERS, folders.toString(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), 0.2, 0, shape);
        try (LabeledImages images = Ingestor.readTrain(spark, data, new IngestConfig(false, false, false))) {
            return images.frame().selectExpr("id", "labelName AS label",
                    "transform(pixels, x -> CAST(round(x * 255) AS INT)) AS image").localCheckpoint(true);
        }
    }
}
