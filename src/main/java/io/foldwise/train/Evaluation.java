package io.foldwise.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.store.Json;
import java.io.Serializable;
import java.util.List;

/**
 * Metrics of one network on one set of examples: data loss (mean cross-entropy, no penalty),
 * accuracy, per-class precision/recall/F1, macro F1 and the confusion matrix
 * ({@code confusion[actual][predicted]}).
 */
public record Evaluation(List<String> labels, long[][] confusion, double dataLoss, long count) implements Serializable {

    public Evaluation {
        labels = List.copyOf(labels);
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

    public double precision(int cls) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[cls];
        }
        return predicted == 0 ? 0 : (double) confusion[cls][cls] / predicted;
    }

    public double recall(int cls) {
        long actual = 0;
        for (long v : confusion[cls]) {
            actual += v;
        }
        return actual == 0 ? 0 : (double) confusion[cls][cls] / actual;
    }

    public double f1(int cls) {
        double p = precision(cls);
        double r = recall(cls);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of per-class F1, over classes present in the data or predicted. */
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
        n.put("count", count);
        n.put("accuracy", accuracy());
        n.put("error", error());
        n.put("loss", dataLoss);
        n.put("f1Macro", macroF1());
        ArrayNode perClass = n.putArray("perClass");
        for (int c = 0; c < labels.size(); c++) {
            ObjectNode row = perClass.addObject();
            row.put("label", labels.get(c));
            row.put("precision", precision(c));
            row.put("recall", recall(c));
            row.put("f1", f1(c));
            row.put("support", support(c));
        }
        ArrayNode matrix = n.putArray("confusion");
        for (long[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        return n;
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
