package io.foldwise.select;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Splits at scale: ranks computed on (id, label) only and joined back by id give exactly the folds
 * and holdouts of ranking the full image rows per class, while the stages that move pixels run on
 * all shuffle partitions instead of one task per class.
 */
class StratifiedScaleIT {

    @Test
    void foldsAndHoldoutsOnTheSampleAreThoseOfRankingTheFullRows() {
        FoldwiseConfig config = ConfigLoader.load(null, List.of("data.train=" + TestSpark.sample("train")));
        try (LabeledImages images = Ingestor.readTrain(TestSpark.session(), config.data(), config.ingest())) {
            Dataset<Row> frame = images.frame().cache();
            for (long seed : new long[] {42, 7}) {
                for (int k : new int[] {seed == 42 ? 5 : 3}) {
                    Map<String, List<Object>> expected = byId(oldAssign(frame, k, seed).drop("pixels"));
                    Map<String, List<Object>> actual = byId(FoldSplitter.assign(frame, k, seed)
                            .select(col("id"), col(FoldSplitter.FOLD), col(FoldSplitter.FOLD_POSITION),
                                    col(FoldSplitter.FOLD_CLASS_COUNT)));
                    assertThat(actual).as("k=%d seed=%d", k, seed).hasSize((int) images.count()).isEqualTo(expected);
                }
                for (double fraction : new double[] {seed == 42 ? 0.2 : 0.15}) {
                    Split split = Splits.holdout(frame, fraction, seed);
                    assertThat(SplitData.ids(split.heldOut())).as("held out, %s seed %d", fraction, seed)
                            .containsExactlyInAnyOrderElementsOf(SplitData.ids(oldHoldout(frame, fraction, seed, true)));
                    assertThat(SplitData.ids(split.train())).as("train, %s seed %d", fraction, seed)
                            .containsExactlyInAnyOrderElementsOf(SplitData.ids(oldHoldout(frame, fraction, seed, false)));
                    assertThat(split.train().columns()).containsExactly(frame.columns());
                }
            }
            frame.unpersist();
        }
    }

    /**
     * 2,400 images of 784 incompressible floats in 2 classes over 12 partitions. Ranking the full rows
     * per class would shuffle half of all pixels into each of 2 tasks; here no task reads more than a
     * quarter of them, and more tasks than classes carry pixels.
     */
    @Test
    void pixelCarryingStagesRunOnMoreTasksThanClassesAndFoldsStayStratified() throws Exception {
        int partitions = 12;
        int classes = 2;
        int rows = 2400;
        int k = 4;
        SparkSession spark = TestSpark.session().newSession();
        spark.conf().set("spark.sql.shuffle.partitions", partitions);
        // Without adaptive coalescing, each stage's task count is the partition count it was planned with.
        spark.conf().set("spark.sql.adaptive.enabled", false);
        Dataset<Row> images = spark.range(0, rows, 1, partitions)
                .select(expr("concat('img-', id)").as("id"), expr("cast(id % " + classes + " as int)").as("label"),
                        expr("transform(sequence(1, 784), i -> cast(hash(id, i) as float))").as("pixels"))
                .cache();
        long pixelBytes = (long) rows * 784 * 4;

        ShuffleReads fresh = shuffleReads(spark, () -> FoldSplitter.assign(images, k, 42));
        assertThat(fresh.maxPerTask()).as("largest shuffle read of one task").isLessThan(pixelBytes / 4);
        assertThat(fresh.tasksReading(pixelBytes / (4L * partitions))).as("tasks that read pixels")
                .isGreaterThan(classes);
        String plan = FoldSplitter.assign(images, k, 42).queryExecution().executedPlan().toString();
        assertThat(plan).contains("SortMergeJoin");

        // The measure tells the two apart: ranking the full rows funnels half the pixels into one task.
        ShuffleReads old = shuffleReads(spark, () -> oldAssign(images, k, 42));
        assertThat(old.maxPerTask()).isGreaterThan(pixelBytes / 4);

        Dataset<Row> assigned = FoldSplitter.assign(images, k, 42);
        assertThat(byId(assigned.select("id", FoldSplitter.FOLD, FoldSplitter.FOLD_POSITION,
                FoldSplitter.FOLD_CLASS_COUNT))).isEqualTo(byId(oldAssign(images, k, 42).drop("pixels")));
        List<Row> spread = assigned.groupBy("label", FoldSplitter.FOLD).count().groupBy("label")
                .agg(expr("min(count)"), expr("max(count)"), count(lit(1))).collectAsList();
        assertThat(spread).hasSize(classes);
        for (Row r : spread) {
            assertThat(r.getLong(3)).as("folds of class %d", r.getInt(0)).isEqualTo(k);
            assertThat(r.getLong(2) - r.getLong(1)).as("fold sizes of class %d", r.getInt(0)).isBetween(0L, 1L);
        }
    }

    /** Shuffle bytes read per task while {@code frame}'s rows (every column) are computed. */
    private record ShuffleReads(List<Long> perTask) {
        long maxPerTask() {
            return perTask.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        long tasksReading(long atLeast) {
            return perTask.stream().filter(b -> b >= atLeast).count();
        }
    }

    private static ShuffleReads shuffleReads(SparkSession spark, java.util.function.Supplier<Dataset<Row>> frame)
            throws java.util.concurrent.TimeoutException {
        List<Long> reads = java.util.Collections.synchronizedList(new ArrayList<>());
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                TaskMetrics m = end.taskMetrics();
                if (m != null) {
                    reads.add(m.shuffleReadMetrics().totalBytesRead());
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            frame.get().write().format("noop").mode("overwrite").save();
            spark.sparkContext().listenerBus().waitUntilEmpty(60_000);
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        return new ShuffleReads(List.copyOf(reads));
    }

    /** id → the other columns' values. */
    private static Map<String, List<Object>> byId(Dataset<Row> df) {
        Map<String, List<Object>> out = new HashMap<>();
        for (Row r : df.collectAsList()) {
            List<Object> values = new ArrayList<>();
            for (int i = 1; i < r.size(); i++) {
                values.add(r.get(i));
            }
            assertThat(out.put(r.getString(0), values)).as("id %s once", r.getString(0)).isNull();
        }
        return out;
    }

    // The way splits were computed before: rank the full image rows in a window per class.

    private static Dataset<Row> oldRanked(Dataset<Row> images, long seed, String salt) {
        WindowSpec byClass = Window.partitionBy(col("label"));
        return images.withColumn("h", xxhash64(lit(seed), lit(salt), col("id").cast("string")))
                .withColumn("rank", row_number().over(byClass.orderBy(col("h"), col("id"))).minus(1))
                .withColumn("n", count(lit(1)).over(byClass));
    }

    /** (id, fold, foldPosition, foldClassCount) as the full-row window computed them. */
    private static Dataset<Row> oldAssign(Dataset<Row> images, int k, long seed) {
        List<Row> counts = images.groupBy("label").count().orderBy("label").collectAsList();
        List<Row> offsets = new ArrayList<>();
        long offset = 0;
        for (Row c : counts) {
            offsets.add(RowFactory.create(c.getInt(0), (int) offset));
            offset = (offset + c.getLong(1) % k) % k;
        }
        Dataset<Row> table = images.sparkSession().createDataFrame(offsets, new StructType(new StructField[] {
            DataTypes.createStructField("label", DataTypes.IntegerType, false),
            DataTypes.createStructField("off", DataTypes.IntegerType, false)}));
        Dataset<Row> r = oldRanked(images, seed, "fold").join(broadcast(table), "label")
                .withColumn("fold", pmod(col("rank").plus(col("off")), lit(k)).cast(DataTypes.IntegerType));
        Column r0 = pmod(col("fold").minus(col("off")), lit(k));
        return r.select(col("id"), col("fold"), col("rank").minus(r0).divide(k).cast(DataTypes.LongType),
                floor(col("n").minus(1).minus(r0).divide(k)).plus(1).cast(DataTypes.LongType), col("pixels"));
    }

    private static Dataset<Row> oldHoldout(Dataset<Row> images, double fraction, long seed, boolean heldOut) {
        Column n = col("n");
        Column held = when(n.geq(2), least(greatest(floor(n.multiply(fraction).plus(0.5 + 1e-9)), lit(1)),
                n.minus(1))).otherwise(lit(0));
        Column out = col("rank").lt(held);
        return oldRanked(images, seed, "holdout").where(heldOut ? out : out.unary_$bang());
    }
}
