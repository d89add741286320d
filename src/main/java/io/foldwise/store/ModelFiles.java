package io.foldwise.store;

import io.foldwise.FoldwiseException;
import io.foldwise.config.ImageShape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads a model with its label mapping: {@code model.zip} (DL4J ModelSerializer, with
 * updater state so training can continue) and {@code labels.json} beside it. One writer for the
 * train command and the sweep's refit, so the two cannot drift apart; one reader for predict and
 * for a transfer source.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static void write(Storage storage, RunLayout dir, MultiLayerNetwork net, ModelLabels labels) {
        storage.writeAtomically(dir.modelZip(), out -> ModelSerializer.writeModel(net, out, true));
        writeLabels(storage, dir, labels);
    }

    /** Rewrites labels.json beside a model (e.g. with the threshold chosen after the refit started). */
    public static void writeLabels(Storage storage, RunLayout dir, ModelLabels labels) {
        storage.writeString(dir.labelsJson(), Json.render(labels.toJson()));
    }

    /** A saved model, the label of each output index and the class mapping it was trained with. */
    public record Loaded(MultiLayerNetwork network, ModelLabels modelLabels) {
        /** The class name of each output index. */
        public List<String> labels() {
            return modelLabels.labels();
        }
    }

    /** Where a saved model is: the directory holding model.zip, and the run directory holding run.json. */
    public record Located(RunLayout model, RunLayout run) {
    }

    public static Loaded read(Storage storage, RunLayout dir) {
        Path zip = dir.modelZip();
        if (!storage.exists(zip)) {
            throw new FoldwiseException(FoldwiseException.USAGE,
                    zip + " does not exist; pass a run directory (or its best/) that holds model.zip");
        }
        try {
            return new Loaded(restore(storage, zip), modelLabels(storage, dir));
        } catch (IOException e) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, "reading " + zip + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a model reference: a run directory (a sweep's model is its refit in {@code best/}, a
     * train run's is at the top), its {@code best/}, or a {@code model.zip} in either.
     *
     * @param option what the reference was given as (an option or config key), for messages
     * @throws FoldwiseException (usage) naming {@code option} and {@code model} when it leads to no run
     */
    public static Located locate(Storage storage, String option, String model) {
        Path p = storage.qualify(new Path(model));
        Path dir = p;
        if (p.getName().endsWith(".zip")) {
            if (!p.getName().equals("model.zip")) {
                throw new FoldwiseException(FoldwiseException.USAGE, option + " " + model + ": expected a file named "
                        + "model.zip (with labels.json beside it) as a run writes it, or its run directory");
            }
            dir = p.getParent();
        }
        RunLayout at = new RunLayout(dir);
        if (storage.exists(at.runJson())) {
            RunLayout best = at.best();
            return new Located(storage.exists(best.modelZip()) ? best : at, at);
        }
        if (dir.getParent() != null && storage.exists(new RunLayout(dir.getParent()).runJson())) {
            return new Located(at, new RunLayout(dir.getParent()));
        }
        throw new FoldwiseException(FoldwiseException.USAGE, option + " " + model + ": no run.json found in " + dir
                + " or its parent; pass a run directory (or its best/, or a model.zip inside it): the run's config "
                + "gives the model's input shape and preprocessing");
    }

    /**
     * A saved model to start a transfer from, with its input shape (from its run's config) and lineage.
     *
     * @param shape the input shape the source was trained on
     */
    public record Source(TransferSource provenance, MultiLayerNetwork network, ImageShape shape) {
    }

    /**
     * Loads {@code train.transfer.from}: the model, its labels.json and its run's run.json.
     *
     * @throws FoldwiseException naming the source: (usage) when it is missing or not a Foldwise run's model;
     *                           (data) when model.zip is not a DL4J model or labels.json does not match it
     */
    public static Source source(Storage storage, String key, String from) {
        Located at = locate(storage, key, from);
        Path zip = at.model().modelZip();
        if (!storage.exists(zip)) {
            throw new FoldwiseException(FoldwiseException.USAGE, key + " " + from + ": " + zip + " does not exist; "
                    + "pass a train run's directory, a finished sweep run's directory (its best/ model), or a model.zip");
        }
        RunRecord run;
        ImageShape shape;
        try {
            run = RunRecord.read(storage, at.run());
            shape = run.foldwiseConfig().data().shape();
        } catch (RuntimeException e) {
            throw new FoldwiseException(FoldwiseException.USAGE, key + " " + from + ": " + at.run().runJson()
                    + " is not a Foldwise run record (" + e.getMessage() + "); pass a model a Foldwise run saved", e);
        }
        MultiLayerNetwork net;
        List<String> labels;
        String modelFingerprint;
        try {
            byte[] bytes = readBytes(storage, zip);
            modelFingerprint = sha256(bytes).substring(0, 16);
            net = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), true);
            labels = modelLabels(storage, at.model()).labels();
        } catch (IOException | RuntimeException e) {
            throw new FoldwiseException(FoldwiseException.DATA, key + " " + from + ": " + zip
                    + " is not a DL4J model with its labels.json (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); pass a model.zip a Foldwise run saved", e);
        }
        String fingerprint = run.data().map(DataFacts::fingerprint).orElse("");
        return new Source(new TransferSource(from, storage.qualify(zip).toString(), run.runId(), fingerprint, labels,
                "", modelFingerprint), net, shape);
    }

    private static byte[] readBytes(Storage storage, Path file) throws IOException {
        try (InputStream in = storage.fs(file).open(file)) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static MultiLayerNetwork restore(Storage storage, Path zip) throws IOException {
        try (InputStream in = storage.fs(zip).open(zip)) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
    }

    private static ModelLabels modelLabels(Storage storage, RunLayout dir) {
        return ModelLabels.fromJson(Json.parse(storage.readString(dir.labelsJson())));
    }
}
