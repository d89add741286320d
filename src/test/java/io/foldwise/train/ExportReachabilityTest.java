package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.Test;

/** When the export approach is used: decided from the export directory, not the default file system. */
class ExportReachabilityTest {
    @Test
    void sharedStorageServesAnyMaster() {
        assertThat(SparkTrainer.reachableFromExecutors(false, new Path("hdfs://nn:8020/runs/r/_work/export/t"), false))
                .isTrue();
        assertThat(SparkTrainer.reachableFromExecutors(false, new Path("s3a://bucket/runs/r/_work/export/t"), false))
                .isTrue();
    }

    @Test
    void localDiskServesOnlyALocalMasterUnlessConfigured() {
        Path local = new Path("file:/tmp/runs/r/_work/export/t");
        assertThat(SparkTrainer.reachableFromExecutors(true, local, false)).isTrue();
        assertThat(SparkTrainer.reachableFromExecutors(false, local, false)).as("spark:// with local disk").isFalse();
        assertThat(SparkTrainer.reachableFromExecutors(false, local, true)).as("train.exportDir on a shared mount")
                .isTrue();
    }

    @Test
    void localWithTaskRetriesIsALocalMaster() {
        // DL4J's ExportSupport regex takes local[2,3] for a cluster; Spark (and so Foldwise) does not.
        for (String master : new String[] {"local", "local[2]", "local[*]", "local[2,3]", "local[*,4]"}) {
            assertThat(Utils.isLocalMaster(new SparkConf().setMaster(master))).as(master).isTrue();
        }
        assertThat(Utils.isLocalMaster(new SparkConf().setMaster("spark://127.0.0.1:7077"))).isFalse();
    }
}
