package io.foldwise;

import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Test support, not a feature: a fault-injection seam for tests that prove Spark's task retries
 * ({@code spark.task.maxFailures}) carry a run. Off unless the Spark property
 * {@value #FAIL_FIRST_ATTEMPT} is {@code true} (a test passes it with {@code --conf}); then every
 * task of the stages passed through {@link #failFirstAttempts} fails its first attempt. This class
 * is the one place that reads the property; production code only routes data through it: ingest's
 * decoding (every run starts there) and test-set batching.
 */
public final class TaskFaults {
    /** The Spark property that turns the faults on; for tests only. */
    public static final String FAIL_FIRST_ATTEMPT = "spark.foldwise.test.failFirstAttempt";

    private TaskFaults() {
    }

    /** {@code rows} unchanged, or (property on) failing every task's first attempt. */
    public static Dataset<Row> failFirstAttempts(Dataset<Row> rows) {
        if (!enabled(rows.sparkSession().sparkContext())) {
            return rows;
        }
        return rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> failOnFirstAttempt(it),
                Encoders.row(rows.schema()));
    }

    /** {@code rdd} unchanged, or (property on) failing every task's first attempt. */
    public static <T> JavaRDD<T> failFirstAttempts(JavaRDD<T> rdd) {
        if (!enabled(rdd.context())) {
            return rdd;
        }
        return rdd.mapPartitions((FlatMapFunction<Iterator<T>, T>) TaskFaults::failOnFirstAttempt, true);
    }

    private static boolean enabled(org.apache.spark.SparkContext sc) {
        return sc.getConf().getBoolean(FAIL_FIRST_ATTEMPT, false);
    }

    private static <T> Iterator<T> failOnFirstAttempt(Iterator<T> it) {
        TaskContext task = TaskContext.get();
        if (task != null && task.attemptNumber() == 0) {
            throw new IllegalStateException("test hook " + FAIL_FIRST_ATTEMPT + ": failing attempt 0 of task "
                    + task.taskAttemptId());
        }
        return it;
    }
}
