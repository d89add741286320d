package io.foldwise.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one DataFrame schema every reader produces, so later stages never care where images came
 * from. Not to be confused with Spark's {@code org.apache.spark.ml.image.ImageSchema}, the raw
 * schema of the {@code image} data source.
 */
public final class ImageSchema {
    /**
     * Stable id: the path relative to the data root with '/' ("3/00007.png"), "file#00042" for IDX,
     * or the id column of Parquet/table input as text.
     */
    public static final String ID = "id";
    /** Index into the label names sorted by name. */
    public static final String LABEL = "label";
    /** The class name: folder name, the IDX label digit as text, or the label column as text. */
    public static final String LABEL_NAME = "labelName";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String CHANNELS = "channels";
    /** Floats in [0, 1], channel-last (HWC), RGB order when there are 3 channels. */
    public static final String PIXELS = "pixels";
    /**
     * Full URI of the source file (for IDX, of the images file); for Parquet/table input the path
     * column, or the id when there is none.
     */
    public static final String PATH = "path";

    /** id, label, labelName, height, width, channels, pixels, path; nothing is nullable. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(LABEL_NAME, DataTypes.StringType, false),
        DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, false),
        DataTypes.createStructField(WIDTH, DataTypes.IntegerType, false),
        DataTypes.createStructField(CHANNELS, DataTypes.IntegerType, false),
        DataTypes.createStructField(PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
    });

    private ImageSchema() {
    }
}
