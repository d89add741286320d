package io.foldwise.train;

import io.foldwise.model.Outputs;
import io.foldwise.store.Csv;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fit's predictions of its validation records, written where the model is (the training task):
 * {@code id, label, predicted, p_<class>..., fold}, one row per validation original, in shard order.
 * Out-of-fold predictions are these files of a grid point's folds put together.
 */
public final class ValidationPredictions {
    /** Column names of the file. */
    public static final String ID = "id";
    public static final String LABEL = "label";
    public static final String PREDICTED = "predicted";
    public static final String FOLD = "fold";
    /** Prefix of each class's probability column. */
    public static final String P = "p_";
    private static final int BATCH = 256;

    private ValidationPredictions() {
    }

    /** The header: id, label, predicted, p_&lt;class&gt; per class, fold. */
    public static List<String> header(List<String> labels) {
        List<String> h = new ArrayList<>(List.of(ID, LABEL, PREDICTED));
        labels.forEach(l -> h.add(P + l));
        h.add(FOLD);
        return h;
    }

    /** Predicts every validation original of {@code plan} with {@code net} and writes the CSV. */
    static void write(Configuration conf, FitPlan plan, MultiLayerNetwork net) {
        FitPlan.PredictionsOut out = plan.predictions();
        if (out == null || plan.validation() == null) {
            return;
        }
        int size = plan.inputSize();
        List<String> labels = out.labels();
        Path file = new Path(out.file());
        try (Writer w = new OutputStreamWriter(file.getFileSystem(conf).create(file, true), StandardCharsets.UTF_8)) {
            w.write(Csv.line(header(labels)));
            List<String> ids = new ArrayList<>(BATCH);
            List<Integer> truth = new ArrayList<>(BATCH);
            float[] features = new float[BATCH * size];
            // Full batches refill one native array; native memory is freed as soon as it is used,
            // not when the collector gets round to it (see ShardStream.Batcher).
            INDArray full = Nd4j.create(DataType.FLOAT, BATCH, size);
            Runnable flush = () -> {
                if (ids.isEmpty()) {
                    return;
                }
                INDArray input;
                if (ids.size() == BATCH) {
                    full.data().setData(features);
                    input = full;
                } else {
                    input = Nd4j.create(Arrays.copyOf(features, ids.size() * size), new long[] {ids.size(), size}, 'c');
                }
                double[][] p;
                int[] predicted;
                try (INDArray logits = Outputs.logits(net, input)) {
                    p = Outputs.classProbabilities(logits, labels.size());
                    predicted = Outputs.predictions(logits, labels.size() == 2);
                }
                if (input != full) {
                    input.close();
                }
                for (int i = 0; i < ids.size(); i++) {
                    List<Object> row = new ArrayList<>(labels.size() + 4);
                    row.add(ids.get(i));
                    row.add(labels.get(truth.get(i)));
                    row.add(labels.get(predicted[i]));
                    for (double v : p[i]) {
                        row.add(v);
                    }
                    row.add(out.fold());
                    write(w, Csv.line(row));
                }
                ids.clear();
                truth.clear();
            };
            new ShardStream(conf, size, plan.numClasses()).forEach(
                    plan.validation().shards().files(conf, plan.validation().groups()), Shards.Record::original, r -> {
                        System.arraycopy(r.features(), 0, features, ids.size() * size, size);
                        ids.add(r.id());
                        truth.add(r.label());
                        if (ids.size() == BATCH) {
                            flush.run();
                        }
                    });
            flush.run();
            full.close();
        } catch (IOException e) {
            throw new UncheckedIOException("writing validation predictions " + file + " failed", e);
        }
    }

    private static void write(Writer w, String text) {
        try {
            w.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
