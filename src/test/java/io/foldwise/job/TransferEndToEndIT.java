package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.report.CsvTable;
import io.foldwise.report.ReportWriter;
import io.foldwise.select.BestParams;
import io.foldwise.store.Json;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import io.foldwise.store.TransferSource;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Transfer learning end to end on class subsets of the committed sample: sources trained on digits
 * 0-4, fine-tuned on a small part of digits 5-9 by {@code train} and compared in a {@code sweep}.
 */
class TransferEndToEndIT {
    @TempDir
    static Path root;
    static Path out;
    static Path targetTrain;
    static Path targetTest;
    static Storage storage;
    /** A train run of an MLP with two hidden layers on digits 0-4. */
    static Path mlpSource;

    @BeforeAll
    static void sources() throws IOException {
        out = root.resolve("runs");
        targetTrain = targetTrain(root);
        targetTest = classes(TestSpark.sample("test"), root.resolve("d59test"), List.of("5", "6", "7", "8", "9"), 20);
        storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());
        train(out, "src", sourceTrain(root), "train.architecture={mlp=[16,8]}", "train.epochs=2");
        mlpSource = out.resolve("src");
    }

    /** Digits 0-4, 40 training images each, under {@code root}: what sources train on. */
    static Path sourceTrain(Path root) throws IOException {
        return classes(TestSpark.sample("train"), root.resolve("d04"), List.of("0", "1", "2", "3", "4"), 40);
    }

    /** Digits 5-9, 30 training images each, under {@code root}: what fine-tuning trains on. */
    static Path targetTrain(Path root) throws IOException {
        return classes(TestSpark.sample("train"), root.resolve("d59"), List.of("5", "6", "7", "8", "9"), 30);
    }

    /** Copies the first {@code perClass} images of each named class folder. */
    static Path classes(Path from, Path to, List<String> names, int perClass) throws IOException {
        for (String name : names) {
            Path dir = Files.createDirectories(to.resolve(name));
            try (Stream<Path> files = Files.list(from.resolve(name))) {
                for (Path f : files.sorted().limit(perClass).toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    static FoldwiseConfig config(Path out, String runId, Path data, String... extra) {
        List<String> sets = new ArrayList<>(List.of("data.train=" + data, "run.output=" + out, "run.id=" + runId,
                "train.epochs=1", "train.learningRate=0.01"));
        sets.addAll(List.of(extra));
        return ConfigLoader.load(null, sets);
    }

    static TrainJob.Result train(Path out, String runId, Path data, String... extra) {
        return TrainJob.run(TestSpark.session(), config(out, runId, data, extra));
    }

    static MultiLayerNetwork restore(Path zip) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
    }

    static int cli(ByteArrayOutputStream err, String... args) {
        return SmallSweep.runCli(new ByteArrayOutputStream(), err, args);
    }

    @Test
    void fineTuningKeepsFrozenLayersBitIdenticalChangesTheOthersAndRecordsTheSource() throws IOException {
        MultiLayerNetwork source = restore(mlpSource.resolve("model.zip"));
        TrainJob.Result tuned = train(out, "tuned", targetTrain, "train.transfer={from=\"" + mlpSource + "\",freeze=1}",
                "train.architecture={mlp=[99]}", "train.epochs=2");
        MultiLayerNetwork saved = restore(out.resolve("tuned/model.zip"));

        assertThat(saved.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(FrozenLayer.class);
        assertThat(saved.getLayer(0).params()).as("frozen block, bit for bit").isEqualTo(source.getLayer(0).params());
        assertThat(saved.getLayer(1).params().shapeInfoToString()).isEqualTo(source.getLayer(1).params().shapeInfoToString());
        assertThat(saved.getLayer(1).params()).as("fine-tuned block").isNotEqualTo(source.getLayer(1).params());
        assertThat(saved.getLayer(2).params().length()).as("new output layer for 5 classes").isEqualTo(8 * 5 + 5);
        assertThat(tuned.model().network().params()).isEqualTo(saved.params());

        RunRecord record = RunRecord.read(storage, tuned.layout());
        RunRecord src = RunRecord.read(storage, new io.foldwise.store.RunLayout(
                new org.apache.hadoop.fs.Path(mlpSource.toUri())));
        assertThat(record.transferSources()).hasSize(1);
        TransferSource lineage = record.transferSources().get(0);
        assertThat(lineage.uri()).endsWith("/src/model.zip");
        assertThat(lineage.runId()).isEqualTo("src");
        assertThat(lineage.dataFingerprint()).isEqualTo(src.data().orElseThrow().fingerprint()).isNotBlank();
        assertThat(lineage.labels()).containsExactly("0", "1", "2", "3", "4");
        assertThat(lineage.architecture()).isEqualTo("mlp[16,8]/relu");
        assertThat(Json.parse(Files.readString(out.resolve("tuned/labels.json"))).get("labels").toString())
                .isEqualTo("[\"5\",\"6\",\"7\",\"8\",\"9\"]");
        String report = Files.readString(Path.of(ReportWriter.write(storage, tuned.layout()).toUri()));
        assertThat(report).contains("transfer-sources").contains("mlp[16,8]/relu").contains(lineage.dataFingerprint());
    }

    @Test
    void savedFineTunedModelPredictsWithPlainDl4jAsPredictDoes() throws IOException {
        train(out, "forpredict", targetTrain, "train.transfer={from=\"" + mlpSource + "\",freeze=all-but-output}");
        Path csv = root.resolve("predictions.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(err, "predict", "--model", out.resolve("forpredict").toString(), "--input",
                targetTest.toString(), "--output", csv.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(
                out.resolve("forpredict/model.zip").toFile(), false);
        CsvTable table = io.foldwise.PredictedCsv.read(csv);
        assertThat(table.size()).isEqualTo(100);
        List<String> labels = List.of("5", "6", "7", "8", "9");
        for (int i = 0; i < table.size(); i++) {
            INDArray probabilities = plain.output(pixels(Path.of(java.net.URI.create(table.text(i, "path")))));
            for (int c = 0; c < labels.size(); c++) {
                assertThat(table.number(i, "p_" + labels.get(c))).as("row %d class %s", i, labels.get(c))
                        .isCloseTo(probabilities.getDouble(0, c), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    /** A gray PNG as one row of values in [0, 1], as ingest reads it. */
    static INDArray pixels(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        Raster r = image.getRaster();
        float[] v = new float[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                v[y * image.getWidth() + x] = r.getSample(x, y, 0) / 255f;
            }
        }
        return Nd4j.create(v, new long[] {1, v.length}, 'c');
    }

    @Test
    void anotherInputShapeIsRefusedNamingSourceAndShapesBeforeAnyWork() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = cli(err, "train", "--set", "data.train=" + targetTrain, "--set", "data.height=14",
                "--set", "data.width=14", "--set", "ingest.resize=true", "--set", "train.transfer.from=" + mlpSource,
                "--output", out.toString(), "--run-id", "shape");
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(message).isEqualTo(2);
        assertThat(message).contains(mlpSource.toString()).contains("28x28x1").contains("14x14x1");
        assertThat(out.resolve("shape")).as("nothing claimed or trained").doesNotExist();
    }

    @Test
    void missingSourceAndNonModelAreRefusedNamingTheSource() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path missing = root.resolve("no-such-run");
        int code = cli(err, "train", "--set", "data.train=" + targetTrain, "--set", "train.transfer.from=" + missing,
                "--output", out.toString(), "--run-id", "missing");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing.toString());

        Path fake = Files.createDirectories(root.resolve("fake"));
        Files.copy(mlpSource.resolve("run.json"), fake.resolve("run.json"));
        Files.copy(mlpSource.resolve("labels.json"), fake.resolve("labels.json"));
        Files.writeString(fake.resolve("model.zip"), "not a model");
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        code = cli(err2, "train", "--set", "data.train=" + targetTrain, "--set", "train.transfer.from=" + fake,
                "--output", out.toString(), "--run-id", "fake");
        assertThat(code).as(err2.toString(StandardCharsets.UTF_8)).isEqualTo(3);
        assertThat(err2.toString(StandardCharsets.UTF_8)).contains(fake.toString()).contains("not a DL4J model");

        ByteArrayOutputStream err3 = new ByteArrayOutputStream();
        code = cli(err3, "train", "--set", "data.train=" + targetTrain, "--set", "train.transfer.from=" + mlpSource,
                "--set", "train.transfer.freeze=3", "--output", out.toString(), "--run-id", "deep");
        assertThat(code).as(err3.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(err3.toString(StandardCharsets.UTF_8)).contains("train.transfer.freeze must be at most 2");
    }

    @Test
    void sweepComparesScratchFineTuneAllAndOutputOnlyOnTheSameFoldsAndResumes() throws IOException {
        String grid = "sweep.grid.transfer=[{}, {from=\"" + mlpSource + "\", freeze=0}, {from=\"" + mlpSource
                + "\", freeze=all-but-output}]";
        FoldwiseConfig config = config(out, "tsweep", targetTrain, "data.test=" + targetTest, grid,
                "train.architecture={mlp=[16]}", "sweep.folds=2", "learningCurve.fractions=[0.5, 1.0]");
        SweepJob.Result first = new SweepJob(TestSpark.session(), config, SweepListener.NONE, false,
                ReportWriter.afterRun(storage)).run().orElseThrow();
        Path run = out.resolve("tsweep");
        CsvTable board = CsvTable.parse(Files.readString(run.resolve("leaderboard.csv")));
        assertThat(board.size()).isEqualTo(3);
        assertThat(board.text(0, "label")).isEqualTo("transfer=scratch architecture=mlp[16]/relu");
        assertThat(board.text(1, "label")).isEqualTo("transfer=" + mlpSource + " freeze=0 architecture=mlp[16,8]/relu");
        assertThat(board.text(2, "label")).isEqualTo("transfer=" + mlpSource
                + " freeze=all-but-output architecture=mlp[16,8]/relu");
        assertThat(first.leaderboard().rows()).allMatch(r -> r.okFolds() == 2);
        assertThat(first.test().count()).isEqualTo(100);

        JsonNode record = Json.parse(Files.readString(run.resolve("run.json")));
        assertThat(record.path(RunRecord.TRANSFER_SOURCES)).hasSize(1);
        BestParams best = BestParams.fromJson(Json.parse(Files.readString(run.resolve("best/params.json"))));
        assertThat(best.transferSource().isPresent())
                .isEqualTo(first.selection().point().train().transfer().fromSource());
        String report = Files.readString(run.resolve("report/index.html"));
        assertThat(report).contains("id=\"transfer-sources\"").contains("freeze=all-but-output")
                .contains("transfer=scratch");
        for (int r = 1; r < 3; r++) {
            assertThat(report).contains(board.text(r, "point_id"));
        }

        // A killed sweep: two transfer trials never committed; the rerun retrains them and ends the same.
        String leaderboard = Files.readString(run.resolve("leaderboard.csv"));
        List<Path> transferTrials;
        try (Stream<Path> s = Files.list(run.resolve("trials"))) {
            transferTrials = s.filter(p -> !p.getFileName().toString().startsWith(board.text(0, "point_id")))
                    .sorted().limit(2).toList();
        }
        for (Path t : transferTrials) {
            Files.delete(t.resolve("_SUCCESS"));
        }
        Files.writeString(run.resolve("run.json"),
                Files.readString(run.resolve("run.json")).replace("\"finished\"", "\"running\""));
        SweepJob.Result resumed = new SweepJob(TestSpark.session(), config, SweepListener.NONE).run().orElseThrow();
        for (Path t : transferTrials) {
            assertThat(t.resolve("_SUCCESS")).exists();
        }
        assertThat(Files.readString(run.resolve("leaderboard.csv"))).isEqualTo(leaderboard);
        assertThat(resumed.selection().point().id()).isEqualTo(first.selection().point().id());
        assertThat(resumed.test().accuracy()).isEqualTo(first.test().accuracy());
    }

    @Test
    void resumingFromAReplacedSourceModelIsRefusedNamingBothModelsUnlessForced() throws IOException {
        // A copy of the source run whose model.zip is later replaced by another model of the same shape.
        Path source = root.resolve("swapsrc");
        SmallSweep.copyTree(mlpSource, source);
        train(out, "othersrc", root.resolve("d04"), "train.architecture={mlp=[16,8]}", "train.seed=7");
        String[] sweep = {"sweep", "--set", "data.train=" + targetTrain, "--set", "data.test=" + targetTest,
            "--set", "train.epochs=1", "--set", "train.learningRate=0.01", "--set", "train.architecture={mlp=[16]}",
            "--set", "sweep.folds=2", "--set", "learningCurve.fractions=[]",
            "--set", "sweep.grid.transfer=[{}, {from=\"" + source + "\", freeze=0}]",
            "--output", out.toString(), "--run-id", "swap"};
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(cli(err, sweep)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Path run = out.resolve("swap");
        io.foldwise.store.RunLayout layout = new io.foldwise.store.RunLayout(new org.apache.hadoop.fs.Path(run.toUri()));
        String before = modelFingerprint(source.resolve("model.zip"));
        assertThat(RunRecord.read(storage, layout).transferSources().get(0).modelFingerprint()).isEqualTo(before);

        // status names the source and which point starts from it (the leaderboard labels them by from).
        CsvTable board = CsvTable.parse(Files.readString(run.resolve("leaderboard.csv")));
        assertThat(board.text(1, "label")).startsWith("transfer=" + source + " freeze=0");
        List<String> status = io.foldwise.report.RunStatus.read(storage, layout).lines();
        assertThat(status).anyMatch(l -> l.startsWith("transfer source " + source + ": ") && l.contains("run src")
                && l.contains("model " + before) && l.contains("mlp[16,8]/relu")
                && l.endsWith("starts point " + board.text(1, "point_id") + " (freeze=0)"));
        assertThat(status).contains("from scratch: point " + board.text(0, "point_id"));
        assertThat(Files.readString(run.resolve("report/index.html"))).contains("fingerprint <code>" + before);

        // The model at the same URI is replaced; the run is resumed: refused, naming key and both models.
        Files.copy(out.resolve("othersrc/model.zip"), source.resolve("model.zip"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(source.resolve(".model.zip.crc"));
        String after = modelFingerprint(source.resolve("model.zip"));
        assertThat(after).isNotEqualTo(before);
        Files.writeString(run.resolve("run.json"),
                Files.readString(run.resolve("run.json")).replace("\"finished\"", "\"interrupted\""));
        Files.deleteIfExists(run.resolve(".run.json.crc"));
        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        int code = cli(refused, sweep);
        String message = refused.toString(StandardCharsets.UTF_8);
        assertThat(code).as(message).isEqualTo(2);
        assertThat(message).contains(Transfers.KEY + " " + source).contains("model " + before)
                .contains("model " + after).contains("run src").contains("--force");
        assertThat(RunRecord.read(storage, layout).transferSources().get(0).modelFingerprint())
                .as("run.json untouched").isEqualTo(before);

        // --force runs it again from scratch, from the new model.
        String[] forced = java.util.Arrays.copyOf(sweep, sweep.length + 1);
        forced[sweep.length] = "--force";
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        assertThat(cli(err2, forced)).as(err2.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(RunRecord.read(storage, layout).transferSources().get(0).modelFingerprint()).isEqualTo(after);
    }

    /** The first 16 hex digits of the SHA-256 of a file's bytes. */
    static String modelFingerprint(Path zip) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(zip))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
