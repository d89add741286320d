package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.ImageShape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** Minibatches of a partition are built one at a time, as the consumer asks for them. */
class TensorizerTest {
    private static final ImageShape SHAPE = new ImageShape(2, 2, 1);

    /** Rows (pixels, label) of image i: pixels i/100 .. and label i % 3; counts how many were pulled. */
    static final class CountingRows implements Iterator<Row> {
        final int total;
        int pulled;

        CountingRows(int total) {
            this.total = total;
        }

        @Override
        public boolean hasNext() {
            return pulled < total;
        }

        @Override
        public Row next() {
            int i = pulled++;
            List<Float> px = List.of(i / 100f, i / 100f, i / 100f, 1f);
            return RowFactory.create(scala.collection.JavaConverters.asScalaBuffer(px), i % 3);
        }
    }

    @Test
    void batchesAreBuiltLazilyOneMinibatchAtATime() {
        CountingRows rows = new CountingRows(25);
        Iterator<DataSet> batches = new Tensorizer.BatchFunction(SHAPE, 3, 10).call(rows);
        assertThat(rows.pulled).as("nothing read before the first batch is asked for").isZero();
        List<Integer> sizes = new ArrayList<>();
        List<Integer> pulledAfter = new ArrayList<>();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            sizes.add(batch.numExamples());
            pulledAfter.add(rows.pulled);
        }
        assertThat(sizes).containsExactly(10, 10, 5);
        assertThat(pulledAfter).containsExactly(10, 20, 25);
    }

    @Test
    void featuresAreChwAndLabelsOneHot() {
        Iterator<DataSet> batches = new Tensorizer.BatchFunction(SHAPE, 3, 4).call(new CountingRows(2));
        DataSet batch = batches.next();
        assertThat(batches.hasNext()).isFalse();
        assertThat(batch.getFeatures().shape()).containsExactly(2, 4);
        assertThat(batch.getFeatures().getFloat(1, 0)).isEqualTo(0.01f);
        assertThat(batch.getFeatures().getFloat(1, 3)).isEqualTo(1f);
        assertThat(batch.getLabels().getFloat(1, 1)).isEqualTo(1f);
        assertThat(batch.getLabels().getFloat(1, 0)).isZero();
    }
}
