package io.foldwise.augment;

import io.foldwise.config.AugmentConfig;
import io.foldwise.ingest.ImageSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Augments image rows as Spark work: each row becomes the original plus {@code copies} distorted
 * copies ({@code Dataset.flatMap}, no driver loop). Copy k of image {@code id} gets the id
 * {@code <id>#aug<k>} (so ids stay unique and the seeded hash order of the Tensorizer spreads the
 * copies), its pixels from {@link Distorter} with the {@link Distortion} drawn for (seed, id, k),
 * and three new columns: {@link #SOURCE_ID} (the original's id), {@link #COPY} (0 for the original)
 * and {@link #AUGMENTATION} (what produced it; "" for the original). Every other column is kept.
 *
 * <p>Give it training rows only, after the folds are assigned and any subsample is taken: the
 * originals' ids decide everything, so the same config regenerates identical pixels however the
 * rows are partitioned or ordered.
 */
public final class Augmenter {
    /** The id of the original image a row was made from (its own id for an original). */
    public static final String SOURCE_ID = "sourceId";
    /** 0 for the original, 1..copies for the augmented copies. */
    public static final String COPY = "copy";
    /** The transforms and parameters that produced the row ({@link Distortion#describe()}); "" for the original. */
    public static final String AUGMENTATION = "augmentation";
    /** Separates an original's id from the copy number in an augmented row's id. */
    public static final String ID_SUFFIX = "#aug";

    private Augmenter() {
    }

    /**
     * The originals and {@code config.copies()} augmented copies of each.
     *
     * @param images rows with at least the {@link ImageSchema} columns id, height, width, channels
     *               and pixels; not already augmented
     * @throws IllegalArgumentException if a column is missing or the rows are already augmented
     */
    public static Dataset<Row> augment(Dataset<Row> images, AugmentConfig config) {
        List<String> columns = Arrays.asList(images.columns());
        for (String c : List.of(ImageSchema.ID, ImageSchema.HEIGHT, ImageSchema.WIDTH, ImageSchema.CHANNELS,
                ImageSchema.PIXELS)) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("cannot augment rows without a '" + c + "' column; they have "
                        + String.join(", ", columns));
            }
        }
        if (columns.contains(SOURCE_ID)) {
            throw new IllegalArgumentException("these rows are already augmented (they have a '" + SOURCE_ID
                    + "' column); augment original images only");
        }
        StructType in = images.schema();
        StructType out = outputSchema(in);
        return images.flatMap(new Expand(config, in), Encoders.row(out));
    }

    /** {@code in} plus {@link #SOURCE_ID}, {@link #COPY} and {@link #AUGMENTATION}. */
    public static StructType outputSchema(StructType in) {
        StructField[] fields = Arrays.copyOf(in.fields(), in.fields().length + 3);
        fields[fields.length - 3] = DataTypes.createStructField(SOURCE_ID, DataTypes.StringType, false);
        fields[fields.length - 2] = DataTypes.createStructField(COPY, DataTypes.IntegerType, false);
        fields[fields.length - 1] = DataTypes.createStructField(AUGMENTATION, DataTypes.StringType, false);
        return new StructType(fields);
    }

    /** One row to the original and its copies; runs on executors. */
    static final class Expand implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;

        private final AugmentConfig config;
        private final int columns;
        private final int id;
        private final int height;
        private final int width;
        private final int channels;
        private final int pixels;

        Expand(AugmentConfig config, StructType schema) {
            this.config = config;
            this.columns = schema.fields().length;
            this.id = schema.fieldIndex(ImageSchema.ID);
            this.height = schema.fieldIndex(ImageSchema.HEIGHT);
            this.width = schema.fieldIndex(ImageSchema.WIDTH);
            this.channels = schema.fieldIndex(ImageSchema.CHANNELS);
            this.pixels = schema.fieldIndex(ImageSchema.PIXELS);
        }

        @Override
        public Iterator<Row> call(Row row) {
            String sourceId = row.getString(id);
            List<Row> out = new ArrayList<>(config.copies() + 1);
            out.add(RowFactory.create(values(row, sourceId, 0, "")));
            int h = row.getInt(height);
            int w = row.getInt(width);
            int c = row.getInt(channels);
            float[] original = Augmenter.pixels(row);
            for (int k = 1; k <= config.copies(); k++) {
                Distortion d = Distortion.draw(config, sourceId, k);
                Object[] v = values(row, sourceId, k, d.describe());
                v[id] = sourceId + ID_SUFFIX + k;
                v[pixels] = Distorter.apply(original, h, w, c, d, (float) config.fill());
                out.add(RowFactory.create(v));
            }
            return out.iterator();
        }

        private Object[] values(Row row, String sourceId, int copy, String augmentation) {
            Object[] v = new Object[columns + 3];
            for (int i = 0; i < columns; i++) {
                v[i] = row.get(i);
            }
            v[columns] = sourceId;
            v[columns + 1] = copy;
            v[columns + 2] = augmentation;
            return v;
        }
    }

    /** The {@link ImageSchema#PIXELS} column of a row as a float array. */
    public static float[] pixels(Row row) {
        List<Float> list = row.getList(row.fieldIndex(ImageSchema.PIXELS));
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
