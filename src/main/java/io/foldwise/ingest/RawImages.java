package io.foldwise.ingest;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What a reader hands to {@link Ingestor}: undecoded image rows in {@link #SCHEMA} (Spark's image
 * bytes, or IDX bytes, which have the same layout for one channel), the label mapping, and how
 * to name the source in messages.
 *
 * @param rows       rows in {@link #SCHEMA}
 * @param labelNames class names; index = label
 * @param key        the config key the data came from, e.g. {@code data.train}
 * @param location   the path as given in the config, for messages
 * @param emptyFiles ids of zero-length image files, which Spark skips without a row
 * @param limited    whether the reader already dropped images beyond {@code data.limit}
 * @param converted  rows are already pixels in {@link ToImageRow#SCHEMA} (pixel-array columns), not bytes
 */
record RawImages(Dataset<Row> rows, List<String> labelNames, String key, String location, List<String> emptyFiles,
                 boolean limited, boolean converted) {
    static final String N_CHANNELS = "nChannels";
    static final String DATA = "data";

    /** id, label, labelName, path, height, width, nChannels (-1 if unreadable), data. */
    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ImageSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(ImageSchema.LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(ImageSchema.LABEL_NAME, DataTypes.StringType, false),
        DataTypes.createStructField(ImageSchema.PATH, DataTypes.StringType, false),
        DataTypes.createStructField(ImageSchema.HEIGHT, DataTypes.IntegerType, false),
        DataTypes.createStructField(ImageSchema.WIDTH, DataTypes.IntegerType, false),
        DataTypes.createStructField(N_CHANNELS, DataTypes.IntegerType, false),
        DataTypes.createStructField(DATA, DataTypes.BinaryType, true),
    });

    RawImages {
        labelNames = List.copyOf(labelNames);
        emptyFiles = List.copyOf(emptyFiles);
    }

    /** "data.train /some/path" — how messages name the source. */
    String source() {
        return key + " " + location;
    }
}
