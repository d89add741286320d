package io.foldwise.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.store.Json;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.evaluation.EvaluationUtils;

/**
 * Metrics of one network on one set of examples: data loss (mean cross-entropy, no penalty),
 * accuracy, per-class precision/recall/F1, macro F1 and the confusion matrix
 * ({@code confusion[actual][predicted]}). Its JSON (test-metrics.json, and the evaluations inside
 * metrics.json) holds the derived metrics too, for people and other tools; {@link #fromJson} needs
 * only labels, confusion, loss and count.
 */
public record Evaluation(List<String> labels, long[][] confusion, double dataLoss, long count) implements Serializable {

    public static final String COUNT = "count";
    public static final String ACCURACY = "accuracy";
    public static final String ERROR = "error";
    public static final String LOSS = "loss";
    public static final String F1_MACRO = "f1Macro";
    public static final String PER_CLASS = "perClass";
    public static final String LABEL = "label";
    public static final String PRECISION = "precision";
    public static final String RECALL = "recall";
    public static final String F1 = "f1";
    public static final String SUPPORT = "support";
    public static final String CONFUSION = "confusion";

    public Evaluation {
        labels = List.copyOf(labels);
    }

    // The confusion matrix is an array: compare it by content, not identity.
    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && labels.equals(e.labels) && Arrays.deepEquals(confusion, e.confusion)
                && Double.compare(dataLoss, e.dataLoss) == 0 && count == e.count;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * labels.hashCode() + Arrays.deepHashCode(confusion)) + Double.hashCode(dataLoss)
                + Long.hashCode(count);
    }

    /** Fraction classified correctly. */
    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return count == 0 ? Double.NaN : (double) correct / count;
    }

    /** 1 − accuracy: the error rate J is compared with a baseline error in. */
    public double error() {
        return 1 - accuracy();
    }

    // Per-class precision, recall and F1 are ND4J's (the same definitions, 0 where undefined).
    public double precision(int cls) {
        long tp = confusion[cls][cls];
        return EvaluationUtils.precision(tp, precisionDenominator(cls) - tp, 0);
    }

    public double recall(int cls) {
        long tp = confusion[cls][cls];
        return EvaluationUtils.recall(tp, support(cls) - tp, 0);
    }

    public double f1(int cls) {
        return EvaluationUtils.fBeta(1, precision(cls), recall(cls));
    }

    /**
     * Unweighted mean of per-class F1, over classes present in the data or predicted. Not ND4J's
     * macro F1, which for two classes reports the positive class's F1 alone and averages in classes
     * that neither occur nor are predicted.
     */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (support(c) > 0 || precisionDenominator(c) > 0) {
                sum += f1(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public long support(int cls) {
        long s = 0;
        for (long v : confusion[cls]) {
            s += v;
        }
        return s;
    }

    private long precisionDenominator(int cls) {
        long s = 0;
        for (long[] row : confusion) {
            s += row[cls];
        }
        return s;
    }

    /** Accuracy, loss, macro F1, per-class table and confusion matrix. */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(COUNT, count);
        n.put(ACCURACY, accuracy());
        n.put(ERROR, error());
        n.put(LOSS, dataLoss);
        n.put(F1_MACRO, macroF1());
        ArrayNode perClass = n.putArray(PER_CLASS);
        for (int c = 0; c < labels.size(); c++) {
            ObjectNode row = perClass.addObject();
            row.put(LABEL, labels.get(c));
            row.put(PRECISION, precision(c));
            row.put(RECALL, recall(c));
            row.put(F1, f1(c));
            row.put(SUPPORT, support(c));
        }
        ArrayNode matrix = n.putArray(CONFUSION);
        for (long[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        return n;
    }

    /** Reads what {@link #toJson} writes: the labels of the per-class table, the confusion matrix, loss and count. */
    public static Evaluation fromJson(JsonNode n) {
        List<String> labels = new ArrayList<>();
        n.path(PER_CLASS).forEach(c -> labels.add(c.path(LABEL).asText()));
        long[][] confusion = new long[labels.size()][labels.size()];
        for (int a = 0; a < labels.size(); a++) {
            for (int p = 0; p < labels.size(); p++) {
                confusion[a][p] = n.path(CONFUSION).path(a).path(p).asLong();
            }
        }
        return new Evaluation(labels, confusion, n.path(LOSS).asDouble(Double.NaN), n.path(COUNT).asLong());
    }

    /** Confusion matrix as CSV: rows actual, columns predicted, both labelled. */
    public String confusionCsv() {
        StringBuilder sb = new StringBuilder("actual\\predicted");
        for (String l : labels) {
            sb.append(',').append(l);
        }
        sb.append('\n');
        for (int i = 0; i < confusion.length; i++) {
            sb.append(labels.get(i));
            for (long v : confusion[i]) {
                sb.append(',').append(v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
