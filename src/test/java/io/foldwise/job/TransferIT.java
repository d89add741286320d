package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer learning with a CNN source (the conv blocks frozen), with several averaging workers and
 * from a source on HDFS (a MiniDFSCluster):
 * slower than the fast lane's tiny MLPs, so it runs in {@code mvn verify}.
 */
class TransferIT {
    @TempDir
    static Path root;
    static Path out;
    static Path sourceTrain;
    static Path targetTrain;

    @BeforeAll
    static void data() throws IOException {
        out = root.resolve("runs");
        sourceTrain = TransferEndToEndIT.sourceTrain(root);
        targetTrain = TransferEndToEndIT.targetTrain(root);
    }

    static void train(String runId, Path data, String... extra) {
        TransferEndToEndIT.train(out, runId, data, extra);
    }

    @Test
    void cnnConvBlocksStayFixedAndTheDenseLayerTrains() throws IOException {
        train("cnnsrc", sourceTrain, "train.architecture={cnn=[{conv=4,kernel=5},{pool=max,kernel=2}],dense=[8]}");
        MultiLayerNetwork source = TransferEndToEndIT.restore(out.resolve("cnnsrc/model.zip"));
        train("cnntuned", targetTrain, "train.transfer={from=\"" + out.resolve("cnnsrc") + "\",freeze=2}");
        MultiLayerNetwork tuned = TransferEndToEndIT.restore(out.resolve("cnntuned/model.zip"));
        assertThat(tuned.getLayer(0).params()).as("conv block").isEqualTo(source.getLayer(0).params());
        assertThat(tuned.getLayer(2).params()).as("dense layer").isNotEqualTo(source.getLayer(2).params());
    }

    @Test
    void parameterAveragingOverThreeWorkersKeepsFrozenLayersBitIdentical() throws IOException {
        train("mlpsrc", sourceTrain, "train.architecture={mlp=[16,8]}");
        MultiLayerNetwork source = TransferEndToEndIT.restore(out.resolve("mlpsrc/model.zip"));
        train("averaged", targetTrain, "train.transfer={from=\"" + out.resolve("mlpsrc") + "\",freeze=1}",
                "train.workers=3", "train.averagingFrequency=2", "train.batchSize=8");
        MultiLayerNetwork tuned = TransferEndToEndIT.restore(out.resolve("averaged/model.zip"));
        assertThat(tuned.getLayer(0).params()).as("frozen").isEqualTo(source.getLayer(0).params());
        assertThat(tuned.getLayer(1).params()).as("fine-tuned").isNotEqualTo(source.getLayer(1).params());
    }

    @Test
    void aSourceOnHdfsIsLoadedByItsModelZipUriAndNamedInTheLineage() throws IOException {
        train("hdfssrc", sourceTrain, "train.architecture={mlp=[8]}");
        MultiLayerNetwork source = TransferEndToEndIT.restore(out.resolve("hdfssrc/model.zip"));
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        conf.set(org.apache.hadoop.hdfs.MiniDFSCluster.HDFS_MINIDFS_BASEDIR, root.resolve("hdfs").toString());
        org.apache.hadoop.hdfs.MiniDFSCluster hdfs = new org.apache.hadoop.hdfs.MiniDFSCluster.Builder(conf)
                .numDataNodes(1).build();
        try {
            hdfs.waitActive();
            String uri = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
            hdfs.getFileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(out.resolve("hdfssrc").toUri()),
                    new org.apache.hadoop.fs.Path(uri + "/models/hdfssrc"));
            train("fromhdfs", targetTrain, "train.transfer={from=\"" + uri + "/models/hdfssrc/model.zip\","
                    + "freeze=all-but-output}");
        } finally {
            hdfs.shutdown();
        }
        MultiLayerNetwork tuned = TransferEndToEndIT.restore(out.resolve("fromhdfs/model.zip"));
        assertThat(tuned.getLayer(0).params()).isEqualTo(source.getLayer(0).params());
        io.foldwise.store.RunRecord record = io.foldwise.store.RunRecord.fromJson(io.foldwise.store.Json.parse(
                java.nio.file.Files.readString(out.resolve("fromhdfs/run.json"))));
        assertThat(record.transferSources().get(0).uri()).startsWith("hdfs://").endsWith("/models/hdfssrc/model.zip");
        assertThat(record.transferSources().get(0).runId()).isEqualTo("hdfssrc");
    }
}
