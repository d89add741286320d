package io.foldwise.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;

import io.foldwise.TestSpark;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ConfigLoader;
import io.foldwise.ingest.ImageSchema;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Augmentation as a DataFrame operation on real Spark: rows, ids, provenance columns, determinism. */
class AugmenterTest {
    private static final AugmentConfig CONFIG = ConfigLoader.load(null, List.of("augment.copies=3",
            "augment.noise=0.05", "augment.elastic.probability=1")).augment();

    /** n images of 28x28 in ImageSchema, 3 classes, ids "c<label>/<i>.png". */
    static Dataset<Row> images(int n, int channels) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            float[] px = DistorterTest.random(28 * 28 * channels, i);
            rows.add(RowFactory.create("c" + label + "/" + i + ".png", label, "class" + label, 28, 28, channels, px,
                    "file:/data/" + i + ".png"));
        }
        return TestSpark.session().createDataFrame(rows, ImageSchema.SCHEMA);
    }

    static Map<String, Row> byId(Dataset<Row> df) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : df.collectAsList()) {
            assertThat(out.put(r.getString(r.fieldIndex(ImageSchema.ID)), r)).as("unique ids").isNull();
        }
        return out;
    }

    static float[] pixels(Row r) {
        return Augmenter.pixels(r);
    }

    @Test
    void eachRowBecomesTheOriginalAndItsCopiesWithProvenance() {
        Dataset<Row> in = images(12, 1);
        Map<String, Row> originals = byId(in);
        Map<String, Row> out = byId(Augmenter.augment(in, CONFIG));
        assertThat(out).hasSize(12 * 4);
        for (Row o : originals.values()) {
            String id = o.getString(0);
            Row kept = out.get(id);
            assertThat(kept.getString(kept.fieldIndex(Augmenter.SOURCE_ID))).isEqualTo(id);
            assertThat(kept.getInt(kept.fieldIndex(Augmenter.COPY))).isZero();
            assertThat(kept.getString(kept.fieldIndex(Augmenter.AUGMENTATION))).isEmpty();
            assertThat(pixels(kept)).containsExactly(pixels(o));
            for (int k = 1; k <= 3; k++) {
                Row copy = out.get(id + "#aug" + k);
                assertThat(copy).as("copy %d of %s", k, id).isNotNull();
                assertThat(copy.getString(copy.fieldIndex(Augmenter.SOURCE_ID))).isEqualTo(id);
                assertThat(copy.getInt(copy.fieldIndex(Augmenter.COPY))).isEqualTo(k);
                assertThat(copy.getInt(copy.fieldIndex(ImageSchema.LABEL))).isEqualTo(o.getInt(1));
                assertThat(copy.getString(copy.fieldIndex(ImageSchema.PATH))).isEqualTo(o.getString(7));
                Distortion d = Distortion.draw(CONFIG, id, k);
                assertThat(copy.getString(copy.fieldIndex(Augmenter.AUGMENTATION))).isEqualTo(d.describe())
                        .contains("elastic=34/4").contains("noise=0.05");
                assertThat(pixels(copy)).containsExactly(Distorter.apply(pixels(o), 28, 28, 1, d, 0f));
            }
        }
    }

    @Test
    void samePixelsForTheSameSeedSourceAndCopyOnAnyPartitioning() {
        Dataset<Row> in = images(30, 3);
        Map<String, Row> one = byId(Augmenter.augment(in.repartition(1), CONFIG));
        Map<String, Row> many = byId(Augmenter.augment(in.repartition(7).orderBy(rand(5)), CONFIG));
        assertThat(many.keySet()).isEqualTo(one.keySet());
        for (String id : one.keySet()) {
            assertThat(pixels(many.get(id))).as(id).containsExactly(pixels(one.get(id)));
        }
        // Another seed gives other copies, and the originals stay as they were.
        AugmentConfig reseeded = ConfigLoader.load(null, List.of("augment.copies=3", "augment.noise=0.05",
                "augment.elastic.probability=1", "augment.seed=1")).augment();
        Map<String, Row> other = byId(Augmenter.augment(in, reseeded));
        assertThat(pixels(other.get("c1/1.png#aug1"))).isNotEqualTo(pixels(one.get("c1/1.png#aug1")));
        assertThat(pixels(other.get("c1/1.png"))).containsExactly(pixels(one.get("c1/1.png")));
    }

    @Test
    void extraColumnsAreKeptAndAugmentedRowsAreNotAugmentedAgain() {
        Dataset<Row> withFold = images(6, 1).withColumn("fold", col("label").plus(10));
        Dataset<Row> out = Augmenter.augment(withFold, CONFIG);
        assertThat(out.columns()).contains("fold", Augmenter.SOURCE_ID, Augmenter.COPY, Augmenter.AUGMENTATION);
        assertThat(out.where(col("fold").notEqual(col("label").plus(10))).count()).isZero();
        assertThatThrownBy(() -> Augmenter.augment(out, CONFIG)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already augmented");
        assertThatThrownBy(() -> Augmenter.augment(withFold.drop("pixels"), CONFIG))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pixels'");
    }

    @Test
    void previewShowsEachClassOriginalsThenCopies() {
        List<Row> sample = AugmentPreview.sample(images(30, 1), CONFIG);
        // 3 classes x 2 originals x (1 + 3 copies)
        assertThat(sample).hasSize(3 * AugmentPreview.PER_CLASS * 4);
        assertThat(sample).extracting(r -> r.getString(r.fieldIndex(Augmenter.SOURCE_ID))).containsOnly(
                "c0/0.png", "c0/12.png", "c1/1.png", "c1/10.png", "c2/11.png", "c2/14.png");
        BufferedImage img = AugmentPreview.render(sample);
        // 3 rows of 84-pixel tiles; 2 groups of 4 tiles per row.
        assertThat(img.getHeight()).isGreaterThan(3 * 84).isLessThan(4 * 84);
        assertThat(img.getWidth()).isGreaterThan(8 * 84).isLessThan(10 * 84);
    }
}
