package io.foldwise.ingest;

import io.foldwise.config.ImageShape;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Executor side: a pixel-array column (HWC, {@code data.height x data.width x data.channels}
 * values, floats in [0, 1] or integers 0-255) into a {@link ToImageRow#SCHEMA} row. An array that
 * is null, of another length or with a value out of range names problem {@link ToImageRow#PIXELS}
 * (its length in the height field), for the driver to report with the others.
 */
final class PixelArray implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final float[] NONE = new float[0];

    private final int height;
    private final int width;
    private final int channels;
    private final boolean integers;

    /** @param integers values are 0-255 (else [0, 1]) */
    PixelArray(ImageShape shape, boolean integers) {
        this.height = shape.height();
        this.width = shape.width();
        this.channels = shape.channels();
        this.integers = integers;
    }

    /** @param row id, label, labelName, path, pixels (array of floats, nullable) */
    @Override
    public Row call(Row row) {
        String id = row.getString(0);
        int label = row.getInt(1);
        String labelName = row.getString(2);
        String path = row.getString(3);
        List<Float> values = row.isNullAt(4) ? null : row.getList(4);
        int size = height * width * channels;
        if (values == null || values.size() != size) {
            return RowFactory.create(id, label, labelName, values == null ? 0 : values.size(), 1, 1, NONE, path,
                    ToImageRow.PIXELS);
        }
        float max = integers ? 255f : 1f;
        float[] px = new float[size];
        for (int i = 0; i < size; i++) {
            Float v = values.get(i);
            if (v == null || !(v >= 0f && v <= max)) {
                return RowFactory.create(id, label, labelName, size, 1, 1, NONE, path, ToImageRow.PIXELS);
            }
            px[i] = integers ? v / 255f : v;
        }
        return RowFactory.create(id, label, labelName, height, width, channels, px, path, null);
    }
}
