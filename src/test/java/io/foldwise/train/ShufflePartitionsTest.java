package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.nio.file.Files;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** No fixed shuffle partition count: shuffles start from Spark's default and adaptive execution sizes them. */
class ShufflePartitionsTest {
    @Test
    void theSessionAndTheSubmitDefaultsLeaveTheCountToSparkAndAdaptiveExecution() throws Exception {
        SparkSession spark = TestSpark.session();
        assertThat(spark.conf().get("spark.sql.adaptive.enabled")).isEqualTo("true");
        assertThat(spark.conf().get("spark.sql.adaptive.coalescePartitions.enabled")).isEqualTo("true");
        // Spark's own default, not a constant of ours
        assertThat(spark.conf().get("spark.sql.shuffle.partitions"))
                .isEqualTo(org.apache.spark.sql.internal.SQLConf.SHUFFLE_PARTITIONS().defaultValueString());
        String defaults = Files.readString(TestSpark.projectDir().resolve("conf/spark-defaults.conf"));
        assertThat(defaults.lines().map(String::strip).filter(l -> !l.startsWith("#")))
                .noneMatch(l -> l.startsWith("spark.sql.shuffle.partitions"));
    }

    @Test
    void aShuffleOfManyKeysRunsInMoreThanEightPartitionsBeforeCoalescing() {
        SparkSession spark = TestSpark.session();
        String old = spark.conf().get("spark.sql.adaptive.enabled");
        spark.conf().set("spark.sql.adaptive.enabled", "false");
        try {
            Dataset<Row> counts = spark.range(0, 10_000).groupBy(functions.col("id").mod(1000)).count();
            assertThat(counts.rdd().getNumPartitions()).isGreaterThan(8);
        } finally {
            spark.conf().set("spark.sql.adaptive.enabled", old);
        }
    }
}
