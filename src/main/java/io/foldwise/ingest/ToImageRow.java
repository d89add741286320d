package io.foldwise.ingest;

import io.foldwise.config.ImageShape;
import java.util.Arrays;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Executor-side conversion of one {@link RawImages} row (decoded pixels, or a whole image file,
 * decoded here) into an {@link ImageSchema} row plus a {@link #PROBLEM} column. A row that cannot be used as configured keeps its source shape, gets
 * empty pixels and names its problem, so that the driver can report every bad file at once.
 */
final class ToImageRow implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    static final String PROBLEM = "problem";
    static final String UNREADABLE = "unreadable";
    static final String SIZE = "size";
    static final String CHANNELS = "channels";
    static final String SIZE_AND_CHANNELS = "size+channels";
    /** A pixel array (table input) of the wrong length or with values out of range; its length is the height. */
    static final String PIXELS = "pixels";
    static final String TOO_LARGE = Pixels.TOO_LARGE;
    /** nChannels of a {@link RawImages} row whose data is a whole image file, not yet decoded. */
    static final int ENCODED = 0;

    /** {@link ImageSchema#SCHEMA} plus the nullable {@link #PROBLEM}; null means usable. */
    static final StructType SCHEMA;

    static {
        StructField[] fields = Arrays.copyOf(ImageSchema.SCHEMA.fields(), ImageSchema.SCHEMA.fields().length + 1);
        fields[fields.length - 1] = DataTypes.createStructField(PROBLEM, DataTypes.StringType, true);
        SCHEMA = new StructType(fields);
    }

    private static final float[] NONE = new float[0];

    private final int height;
    private final int width;
    private final int channels;
    private final boolean resize;
    private final boolean convertChannels;
    private final long maxPixels;

    /** @param maxPixels the most pixels an encoded image file may have (ingest.maxPixels) */
    ToImageRow(ImageShape shape, boolean resize, boolean convertChannels, long maxPixels) {
        this.maxPixels = maxPixels;
        this.height = shape.height();
        this.width = shape.width();
        this.channels = shape.channels();
        this.resize = resize;
        this.convertChannels = convertChannels;
    }

    @Override
    public Row call(Row raw) {
        String id = raw.getString(0);
        int label = raw.getInt(1);
        String labelName = raw.getString(2);
        String path = raw.getString(3);
        int h = raw.getInt(4);
        int w = raw.getInt(5);
        int nc = raw.getInt(6);
        byte[] data = (byte[]) raw.get(7);
        if (nc == ENCODED && data != null) {
            // A whole image file: decoded here, where every failure becomes a reported row, never a
            // failed Spark task.
            Pixels.Decoded d = Pixels.decodeFile(data, maxPixels);
            if (d.problem() != null) {
                return RowFactory.create(id, label, labelName, d.height(), d.width(), d.nChannels(), NONE, path,
                        d.problem());
            }
            h = d.height();
            w = d.width();
            nc = d.nChannels();
            data = d.data();
        }
        if (h < 1 || w < 1 || (nc != 1 && nc != 3 && nc != 4) || data == null
                || data.length != (long) h * w * nc) {
            return RowFactory.create(id, label, labelName, h, w, nc, NONE, path, UNREADABLE);
        }
        int c = nc == 1 ? 1 : 3;
        boolean sizeOff = h != height || w != width;
        boolean channelsOff = c != channels;
        boolean sizeBad = sizeOff && !resize;
        boolean channelsBad = channelsOff && !convertChannels;
        if (sizeBad || channelsBad) {
            String problem = sizeBad && channelsBad ? SIZE_AND_CHANNELS : sizeBad ? SIZE : CHANNELS;
            return RowFactory.create(id, label, labelName, h, w, c, NONE, path, problem);
        }
        float[] px = Pixels.fromImageBytes(data, h, w, nc);
        // Convert RGB to gray before resizing (a third of the work); gray to RGB after.
        if (c > channels) {
            px = Pixels.rgbToGray(px, h, w);
            c = channels;
        }
        if (sizeOff) {
            px = Pixels.resizeBilinear(px, h, w, c, height, width);
        }
        if (c != channels) {
            px = Pixels.grayToRgb(px, height, width);
        }
        return RowFactory.create(id, label, labelName, height, width, channels, px, path, null);
    }
}
