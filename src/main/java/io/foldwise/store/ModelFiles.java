package io.foldwise.store;

import io.foldwise.FoldwiseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads a model with its label mapping: {@code model.zip} (DL4J ModelSerializer, with
 * updater state so training can continue) and {@code labels.json} beside it. One writer for the
 * train command and the sweep's refit, so the two cannot drift apart.
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

    public static Loaded read(Storage storage, RunLayout dir) {
        Path zip = dir.modelZip();
        if (!storage.exists(zip)) {
            throw new FoldwiseException(FoldwiseException.USAGE,
                    zip + " does not exist; pass a run directory (or its best/) that holds model.zip");
        }
        try (InputStream in = storage.fs(zip).open(zip)) {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(in, true);
            return new Loaded(net, ModelLabels.fromJson(Json.parse(storage.readString(dir.labelsJson()))));
        } catch (IOException e) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, "reading " + zip + " failed: " + e.getMessage(), e);
        }
    }
}
