package io.foldwise.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.foldwise.train.Evaluation;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The test metrics of a two-class model at its chosen threshold, counted by Spark from the test predictions. */
final class TestThreshold {
    /** Keys test-metrics.json gains for a two-class run. */
    static final String THRESHOLD = "threshold";
    static final String AT_THRESHOLD = "atThreshold";

    private TestThreshold() {
    }

    /**
     * @param predictions Predictor.predictions' frame: label (name), p_&lt;class&gt;
     * @param loss        the data loss, which the threshold does not change
     */
    static Evaluation evaluate(Dataset<Row> predictions, List<String> labels, double threshold, double loss) {
        long[][] confusion = new long[2][2];
        long count = 0;
        for (Row r : predictions.groupBy(col("label"), when(col("p_" + labels.get(1)).geq(threshold), lit(1))
                .otherwise(lit(0)).as("predicted")).count().collectAsList()) {
            confusion[labels.indexOf(r.getString(0))][r.getInt(1)] += r.getLong(2);
            count += r.getLong(2);
        }
        return new Evaluation(labels, confusion, loss, count);
    }
}
