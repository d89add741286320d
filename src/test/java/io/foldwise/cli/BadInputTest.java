package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.ingest.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each bad input the CLI must refuse, through {@code foldwise sweep} as a user runs it: its exit
 * code, and a message naming the key, file or value at fault. Nothing is trained in any case.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    record Outcome(int code, String err) {
    }

    @BeforeAll
    static void spark() {
        TestSpark.session(); // the commands below reuse the shared local[2] session
    }

    /** {@code foldwise sweep} on the sample with one grid point, plus {@code sets}. */
    private Outcome sweep(String... sets) {
        List<String> all = new ArrayList<>(List.of("sweep.grid.l2=[1e-3]"));
        all.addAll(List.of(sets));
        return run(all.toArray(String[]::new));
    }

    /** {@code foldwise sweep} with {@code sets}: "key=value" for --set, "--option value" as is. */
    private Outcome run(String... sets) {
        List<String> args = new ArrayList<>(List.of("sweep",
                "--set", "data.train=" + TestSpark.sample("train"), "--set", "data.test=" + TestSpark.sample("test"),
                "--set", "sweep.folds=2", "--set", "train.epochs=1"));
        if (List.of(sets).stream().noneMatch(s -> s.startsWith("--output "))) {
            args.addAll(List.of("--output", tmp.resolve("runs").toString()));
        }
        for (String s : sets) {
            if (s.startsWith("--")) {
                args.add(s.substring(0, s.indexOf(' ')));
                args.add(s.substring(s.indexOf(' ') + 1));
            } else {
                args.add("--set");
                args.add(s);
            }
        }
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new Outcome(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private void assertNothingTrained() throws IOException {
        Path runs = tmp.resolve("runs");
        if (Files.exists(runs)) {
            try (var s = Files.walk(runs)) {
                assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("_SUCCESS", "model.zip");
            }
        }
    }

    /** Fails before any training: not even a trial directory or the shards were written. */
    private void assertRefusedBeforeTraining() throws IOException {
        Path runs = tmp.resolve("runs");
        if (Files.exists(runs)) {
            try (var s = Files.walk(runs)) {
                assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("trials", "_SUCCESS", "model.zip");
            }
        }
    }

    @Test
    void missingTestSetIsFoundBeforeTraining() throws IOException {
        Outcome o = sweep("data.test=" + tmp.resolve("no-such-test"));
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("data.test").contains("no-such-test");
        assertRefusedBeforeTraining();
    }

    @Test
    void testClassUnknownToTrainingIsFoundBeforeTraining() throws IOException {
        Path test = tmp.resolve("test");
        TestImages.write(test.resolve("0/a.png"), TestImages.gray(28, 28, 10));
        TestImages.write(test.resolve("seven/b.png"), TestImages.gray(28, 28, 20));
        Outcome o = sweep("data.test=" + test);
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("data.test").contains("seven").contains("not among the training classes");
        assertRefusedBeforeTraining();
    }

    @Test
    void testImagesOfAnotherSizeAreFoundBeforeTraining() throws IOException {
        Path test = tmp.resolve("test-size");
        TestImages.write(test.resolve("0/a.png"), TestImages.gray(28, 28, 10));
        TestImages.write(test.resolve("1/b.png"), TestImages.gray(32, 30, 20));
        Outcome o = sweep("data.test=" + test);
        assertThat(o.code()).as(o.err()).isEqualTo(3);
        assertThat(o.err()).contains("data.test").contains("1/b.png (32x30)").contains("28x28")
                .contains("ingest.resize").doesNotContain("0/a.png");
        assertRefusedBeforeTraining();
    }

    @Test
    void rgbTestImagesForGrayTrainingAreFoundBeforeTraining() throws IOException {
        Path test = tmp.resolve("test-rgb");
        TestImages.write(test.resolve("0/a.png"), TestImages.gray(28, 28, 10));
        TestImages.write(test.resolve("2/c.png"), TestImages.rgb(28, 28, 200, 10, 10));
        Outcome o = sweep("data.test=" + test);
        assertThat(o.code()).as(o.err()).isEqualTo(3);
        assertThat(o.err()).contains("data.test").contains("2/c.png (RGB)").contains("data.channels = 1")
                .contains("ingest.convertChannels");
        assertRefusedBeforeTraining();
    }

    @Test
    void noTestSetAndNoHoldOut() throws IOException {
        Outcome o = sweep("data.test=\"\"", "data.testFraction=0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("data.testFraction").contains("data.test");
        assertRefusedBeforeTraining();
    }

    @Test
    void unknownKeyAndBadValueInOneMessage() {
        Outcome o = sweep("train.epoch=3", "augment.copies=100000");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("train.epoch is not a Foldwise setting").contains("augment.copies");
    }

    @Test
    void negativeLambda() throws IOException {
        Outcome o = sweep("train.l2=-0.1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("train.l2 must be a number >= 0, got -0.1");
        assertNothingTrained();
    }

    @Test
    void nonNumericLambdaInTheGrid() {
        Outcome o = sweep("sweep.grid.l2=[1e-3, abc]");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("sweep.grid.l2[1]").contains("abc");
    }

    @Test
    void foldsBelowTwo() {
        Outcome o = sweep("sweep.folds=1");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("sweep.folds must be >= 2, got 1");
    }

    @Test
    void foldsAboveTheSmallestClass() {
        Outcome o = sweep("sweep.folds=201");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("sweep.folds").contains("201").contains("200");
    }

    @Test
    void unknownActivationAndUpdaterReportedTogether() {
        Outcome o = sweep("train.architecture={mlp=[8], activation=swish}", "train.updater=rmsprop");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("train.architecture.activation").contains("swish")
                .contains("train.updater").contains("rmsprop").contains("adam | sgd");
    }

    @Test
    void kernelLargerThanTheInput() {
        Outcome o = sweep("train.architecture={cnn=[{conv=8, kernel=30}]}");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("train.architecture.cnn[0]").contains("30x30").contains("28x28");
    }

    @Test
    void emptyGrid() {
        Outcome o = run();
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("sweep.grid");
    }

    @Test
    void epochsNotPositive() {
        Outcome o = sweep("train.epochs=0");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("train.epochs must be >= 1, got 0");
    }

    @Test
    void unwritableOutput() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Outcome o = sweep("--output " + file.resolve("runs"));
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("run.output").contains("a-file").contains("not writable");
    }

    @Test
    void nonEmptyForeignRunDirectory() throws IOException {
        Path foreign = Files.createDirectories(tmp.resolve("runs/nightly"));
        Files.writeString(foreign.resolve("important.txt"), "keep me");
        Outcome o = sweep("--run-id nightly");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("not a Foldwise run").contains("important.txt");
        assertThat(Files.readString(foreign.resolve("important.txt"))).isEqualTo("keep me");
    }

    @Test
    void missingDataPath() {
        Outcome o = sweep("data.train=" + tmp.resolve("no-such-dir"));
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("no-such-dir");
    }

    @Test
    void corruptImageFile() throws IOException {
        Path root = twoClasses(tmp.resolve("corrupt"), 4);
        TestImages.writeBytes(root.resolve("b/broken.png"), "not a png at all".getBytes(StandardCharsets.UTF_8));
        Outcome o = sweep("data.train=" + root);
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("b/broken.png").contains("ingest.dropInvalid");
    }

    @Test
    void mixedImageSizes() throws IOException {
        Path root = twoClasses(tmp.resolve("mixed"), 4);
        TestImages.write(root.resolve("a/big.png"), TestImages.gray(32, 32, 100));
        Outcome o = sweep("data.train=" + root);
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("a/big.png").contains("ingest.resize");
    }

    @Test
    void classWithFewerImagesThanFolds() throws IOException {
        Path root = twoClasses(tmp.resolve("small"), 6);
        Files.walk(root.resolve("b")).filter(p -> p.toString().endsWith(".png")).skip(2).forEach(p -> p.toFile().delete());
        // Its own images as the test set: the sample's classes (0-9) would be refused first (exit 3).
        Outcome o = sweep("data.train=" + root, "data.test=" + root, "sweep.folds=3");
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).contains("sweep.folds").contains("3").contains("b").contains("2");
    }

    @Test
    void truncatedPngTheDecoderChokesOn() throws IOException {
        Path root = twoClasses(tmp.resolve("truncated"), 4);
        byte[] whole = Files.readAllBytes(root.resolve("a").resolve(Files.list(root.resolve("a")).findFirst()
                .orElseThrow().getFileName()));
        TestImages.writeBytes(root.resolve("a/cut.png"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Outcome o = sweep("data.train=" + root);
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("a/cut.png").contains("could not be decoded").contains("ingest.dropInvalid");
    }

    @Test
    void imageAboveMaxPixels() throws IOException {
        Path root = twoClasses(tmp.resolve("bomb"), 4);
        TestImages.write(root.resolve("b/huge.png"), TestImages.gray(600, 600, 3));
        Outcome o = sweep("data.train=" + root, "ingest.maxPixels=100000");
        assertThat(o.code()).isEqualTo(3);
        assertThat(o.err()).contains("b/huge.png").contains("ingest.maxPixels = 100000");
    }

    @Test
    void corruptRunJson() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("runs/broken"));
        Files.writeString(run.resolve("run.json"), "{\"runId\": \"broken\", \"sta");
        Outcome o = sweep("--run-id broken");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("run.json").contains("cannot be read").contains("--force");
        assertNothingTrained();
    }

    @Test
    void missingConfFile() {
        Outcome o = sweep("--conf " + tmp.resolve("nope.conf"));
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("nope.conf").contains("no such file");
    }

    @Test
    void elasticSigmaThatWouldOverflow() {
        Outcome o = sweep("augment.elastic.sigma=1e9");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("augment.elastic.sigma").contains("1000");
    }

    @Test
    void imageShapeThatOverflowsAnArray() {
        Outcome o = sweep("data.height=100000", "data.width=100000", "data.channels=3");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("data.height x data.width x data.channels").contains("30000000000");
    }

    /** Classes a and b with {@code n} 28x28 gray images each. */
    private static Path twoClasses(Path root, int n) throws IOException {
        for (String c : List.of("a", "b")) {
            for (int i = 0; i < n; i++) {
                TestImages.write(root.resolve(c).resolve(i + ".png"), TestImages.gray(28, 28, 10 * i + (c.equals("a") ? 0 : 120)));
            }
        }
        return root;
    }
}
