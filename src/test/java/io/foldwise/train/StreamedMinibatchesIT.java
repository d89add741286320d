package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory per task is bounded by the minibatch, not the fold: a sweep whose trials train on more
 * pixels than a deliberately small JavaCPP off-heap limit completes in a JVM with that limit,
 * while the same limit refuses to hold the fold at once. JavaCPP's limits are fixed per JVM, so
 * both run as child {@code java} processes.
 */
class StreamedMinibatchesIT {
    /** Off-heap limit of the child JVMs (org.bytedeco.javacpp.maxbytes). */
    private static final long LIMIT = 32L << 20;
    private static final int IMAGES = 12_000;
    /** 56 x 56 images: fewer of them carry as many bytes, so the run stays short. */
    private static final int SIDE = 56;
    private static final double TEST_FRACTION = 0.2;
    private static final int FOLDS = 2;

    @TempDir
    Path tmp;

    @Test
    void trialOverAFoldLargerThanTheOffHeapLimitCompletes() throws Exception {
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        writeIdx(images, labels);
        // A trial trains on the other fold of the training part: as float minibatches, all at once,
        // that is this many bytes.
        long trialRows = Math.round(IMAGES * (1 - TEST_FRACTION)) / FOLDS;
        long foldBytes = trialRows * SIDE * SIDE * Float.BYTES;
        assertThat(foldBytes).as("the fold, materialised, exceeds the limit").isGreaterThan(LIMIT * 3 / 2);

        Path probeLog = tmp.resolve("probe.log");
        Process probe = java(List.of(OffHeapProbe.class.getName(), String.valueOf(trialRows),
                String.valueOf(SIDE * SIDE)), probeLog);
        assertThat(probe.exitValue()).as(Files.readString(probeLog)).isNotZero();
        assertThat(Files.readString(probeLog)).containsAnyOf("OutOfMemoryError", "maxBytes").doesNotContain("allocated");

        Path sweepLog = tmp.resolve("sweep.log");
        Process sweep = java(List.of("io.foldwise.cli.Main", "sweep", "--output", tmp.resolve("runs").toString(),
                "--run-id", "streamed", "--master", "local[1]",
                "--set", "data.format=idx", "--set", "data.train=" + images, "--set", "data.trainLabels=" + labels,
                "--set", "data.test=", "--set", "data.testFraction=" + TEST_FRACTION,
                "--set", "data.height=" + SIDE, "--set", "data.width=" + SIDE,
                "--set", "train.epochs=1", "--set", "train.architecture.mlp=[32]",
                "--set", "sweep.folds=" + FOLDS, "--set", "sweep.grid.l2=[1e-3]",
                "--set", "learningCurve.fractions=[]"), sweepLog);
        String log = Files.readString(sweepLog);
        assertThat(sweep.exitValue()).as(log).isZero();
        assertThat(log).doesNotContain("OutOfMemoryError");
        Path trials = tmp.resolve("runs/streamed/trials");
        try (Stream<Path> dirs = Files.list(trials)) {
            List<Path> done = dirs.filter(d -> Files.exists(d.resolve("_SUCCESS"))).toList();
            assertThat(done).hasSize(FOLDS);
        }
        assertThat(tmp.resolve("runs/streamed/best/model.zip")).exists();
    }

    /** Runs {@code args} in a child JVM with the small off-heap limit, to its end. */
    private Process java(List<String> args, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-Xmx1g", "-Dorg.bytedeco.javacpp.maxbytes=" + LIMIT,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + (4L << 30), "-Dspark.ui.enabled=false",
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestSpark.projectDir().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out: " + args + "\n" + Files.readString(log));
        }
        return p;
    }

    /** MNIST-style IDX files: 10 classes, each a bright block at its own place, plus noise. */
    private static void writeIdx(Path images, Path labels) throws IOException {
        Random rng = new Random(3);
        try (DataOutputStream img = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(images)));
             DataOutputStream lab = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(labels)))) {
            img.writeInt(0x00000803);
            img.writeInt(IMAGES);
            img.writeInt(SIDE);
            img.writeInt(SIDE);
            lab.writeInt(0x00000801);
            lab.writeInt(IMAGES);
            byte[] pixels = new byte[SIDE * SIDE];
            for (int i = 0; i < IMAGES; i++) {
                int label = i % 10;
                int top = (label / 5) * 28 + 4;
                int left = (label % 5) * 11;
                for (int p = 0; p < pixels.length; p++) {
                    int y = p / SIDE;
                    int x = p % SIDE;
                    boolean block = y >= top && y < top + 20 && x >= left && x < left + 10;
                    pixels[p] = (byte) Math.min(255, (block ? 180 : 0) + rng.nextInt(60));
                }
                img.write(pixels);
                lab.writeByte(label);
            }
        }
    }
}
