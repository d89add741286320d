package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * No fixed shuffle partition count: on a cluster shuffles start from Spark's default and adaptive
 * execution sizes them; on one machine they start from 4 per local core.
 */
class ShufflePartitionsTest {
    @Test
    void aLocalSessionStartsFromFourPartitionsPerCoreAndAdaptiveExecutionSizesThem() throws Exception {
        SparkSession spark = TestSpark.session(); // local[2]
        assertThat(spark.conf().get("spark.sql.adaptive.enabled")).isEqualTo("true");
        assertThat(spark.conf().get("spark.sql.adaptive.coalescePartitions.enabled")).isEqualTo("true");
        assertThat(spark.conf().get("spark.sql.shuffle.partitions")).isEqualTo("8");
        String defaults = Files.readString(TestSpark.projectDir().resolve("conf/spark-defaults.conf"));
        assertThat(defaults.lines().map(String::strip).filter(l -> !l.startsWith("#")))
                .noneMatch(l -> l.startsWith("spark.sql.shuffle.partitions"));
    }

    @Test
    void localCoresFollowTheMaster() {
        assertThat(SparkSessions.localCores("local")).isEqualTo(1);
        assertThat(SparkSessions.localCores("local[3]")).isEqualTo(3);
        assertThat(SparkSessions.localCores("local[5,2]")).isEqualTo(5);
        assertThat(SparkSessions.localCores("local[*]")).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
