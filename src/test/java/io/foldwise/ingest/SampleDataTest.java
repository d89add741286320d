package io.foldwise.ingest;

import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.folders;
import static org.apache.spark.sql.functions.array_max;
import static org.apache.spark.sql.functions.array_min;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ImageShape;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The committed MNIST sample: 10 class folders of 200 training and 50 test 28x28 gray PNGs. */
class SampleDataTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);
    private static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    @Test
    void readsTheSampleAndItsTestSetWithTheTrainingMapping() {
        var data = folders(TestSpark.sample("train"), TestSpark.sample("test"), 0, MNIST);
        LabeledImages train = Ingestor.readTrain(TestSpark.session(), data, STRICT);

        assertThat(train.labelNames()).isEqualTo(DIGITS);
        assertThat(train.classCounts().values()).hasSize(10).containsOnly(200L);
        assertThat(train.count()).isEqualTo(2000);
        assertThat(train.droppedFiles()).isEmpty();
        // One pass over the frame (decoding 2000 files is the slow part) checks every row.
        Column label = col(ImageSchema.LABEL);
        Column pixels = col(ImageSchema.PIXELS);
        Row stats = train.frame().agg(count(lit(1)), min(size(pixels)), max(size(pixels)),
                min(array_min(pixels)), max(array_max(pixels)),
                // label index and folder name disagree, or the id is not "<digit>/<file>.png"
                sum(when(label.cast("string").notEqual(col(ImageSchema.LABEL_NAME))
                        .or(not(col(ImageSchema.ID).rlike("^[0-9]/[0-9]+\\.png$"))), 1).otherwise(0)))
                .first();
        assertThat(stats.getLong(0)).isEqualTo(2000);
        assertThat(stats.getInt(1)).isEqualTo(28 * 28);
        assertThat(stats.getInt(2)).isEqualTo(28 * 28);
        assertThat(stats.getFloat(3)).isGreaterThanOrEqualTo(0f);
        assertThat(stats.getFloat(4)).isLessThanOrEqualTo(1f).isGreaterThan(0.5f);
        assertThat(stats.getLong(5)).isZero();

        LabeledImages test = Ingestor.readTest(TestSpark.session(), data, STRICT, train.labelNames());
        assertThat(test.labelNames()).isEqualTo(DIGITS);
        assertThat(test.classCounts().values()).hasSize(10).containsOnly(50L);
        assertThat(test.count()).isEqualTo(500);
        assertThat(test.fingerprint()).isNotEqualTo(train.fingerprint());
    }
}
