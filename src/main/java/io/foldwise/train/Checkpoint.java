package io.foldwise.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A one-worker fit's state after an epoch, saved on shared storage every {@code train.checkpointEvery}
 * epochs so that a fit whose task or driver died continues from there instead of from epoch 1. It
 * holds everything the next epoch depends on: parameters, updater state (Adam's moments), the
 * iteration and epoch counters (Adam's bias correction reads them), the curve so far and the time
 * spent. Nothing else carries over between epochs: each epoch's shuffle is seeded by (seed, epoch)
 * and the shuffle buffer starts empty, so a resumed fit ends bit for bit where an uninterrupted one
 * does.
 *
 * <p>Files: {@code <dir>/epoch-<n>.ckpt}, written under a temporary name and renamed, the older
 * ones deleted after; a checkpoint whose plan differs from the fit's ({@link #planKey}) is ignored.
 *
 * @param planKey        hash of the fit's plan without its checkpoint settings
 * @param epoch          epochs completed
 * @param curve          the curve of those epochs
 * @param seconds        training time spent so far
 */
public record Checkpoint(String planKey, int epoch, List<EpochStats> curve, float[] params, float[] updaterState,
                         int iterationCount, int epochCount, double seconds) implements Serializable {
    private static final String PREFIX = "epoch-";
    private static final String SUFFIX = ".ckpt";

    public Checkpoint {
        curve = List.copyOf(curve);
    }

    /** The state of {@code net} after {@code curve.size()} epochs of {@code plan}. */
    static Checkpoint of(FitPlan plan, List<EpochStats> curve, MultiLayerNetwork net, double seconds) {
        float[] state = net.getUpdater().getStateViewArray() == null ? null
                : net.getUpdater().getStateViewArray().dup().data().asFloat();
        return new Checkpoint(planKey(plan), curve.size(), curve, net.params().dup().data().asFloat(), state,
                net.getIterationCount(), net.getEpochCount(), seconds);
    }

    /** Puts the saved state into {@code net}, initialised from the same plan. */
    void restore(MultiLayerNetwork net) {
        net.setParams(Nd4j.create(params, new long[] {1, params.length}, 'c'));
        if (updaterState != null) {
            net.getUpdater().getStateViewArray().assign(
                    Nd4j.create(updaterState, new long[] {1, updaterState.length}, 'c'));
        }
        net.setIterationCount(iterationCount);
        net.setEpochCount(epochCount);
    }

    /** Writes this checkpoint into {@code dir} and then deletes the older ones there. */
    void save(Configuration conf, Path dir) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            Path tmp = new Path(dir, "_tmp-" + PREFIX + epoch);
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(SerializationUtils.serialize(this));
            }
            Path target = new Path(dir, PREFIX + epoch + SUFFIX);
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
            for (FileStatus f : fs.listStatus(dir)) {
                int n = epochOf(f.getPath());
                if (n >= 0 && n < epoch) {
                    fs.delete(f.getPath(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint of epoch " + epoch + " to " + dir, e);
        }
    }

    /** The newest checkpoint in {@code dir}, whatever its plan; empty when there is none. */
    public static Optional<Checkpoint> latest(Configuration conf, Path dir) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) {
                return Optional.empty();
            }
            Path newest = null;
            for (FileStatus f : fs.listStatus(dir)) {
                if (epochOf(f.getPath()) >= 0 && (newest == null || epochOf(f.getPath()) > epochOf(newest))) {
                    newest = f.getPath();
                }
            }
            if (newest == null) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(newest)) {
                return Optional.of(JavaBytes.read(in.readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the checkpoints in " + dir, e);
        }
    }

    /** The checkpoint {@code plan} can continue from: the newest of its own, before its last epoch. */
    static Optional<Checkpoint> resumable(Configuration conf, FitPlan plan) {
        if (plan.checkpointDir() == null) {
            return Optional.empty();
        }
        String key = planKey(plan);
        return latest(conf, new Path(plan.checkpointDir()))
                .filter(c -> c.planKey().equals(key) && c.epoch() >= 1 && c.epoch() < plan.epochs());
    }

    /** Whether a fit of {@code plan} saves a checkpoint after {@code epoch}: never after its last. */
    static boolean due(FitPlan plan, int epoch) {
        return plan.checkpointDir() != null && plan.checkpointEvery() > 0 && epoch % plan.checkpointEvery() == 0
                && epoch < plan.epochs();
    }

    /** What identifies a fit: its plan, less where it writes (checkpoints, predictions). */
    static String planKey(FitPlan plan) {
        try {
            byte[] bytes = SerializationUtils.serialize(plan.withoutOutputs());
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int epochOf(Path file) {
        String name = file.getName();
        if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
            return -1;
        }
        try {
            return Integer.parseInt(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
