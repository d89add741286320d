package io.foldwise.select;

import io.foldwise.train.Evaluation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Error analysis of out-of-fold predictions: which classes are confused with which (most frequent
 * first, each confusion's images most confident first), per-class metrics with each class's share
 * of the data, the most confident mistakes and the least confident correct predictions, and a
 * short summary that states only counts and shares computed here.
 */
public final class ErrorAnalysis {
    /** Examples kept per confusion and per list. */
    public static final int EXAMPLES = 12;
    /** A class is flagged as having less data when its share is below this fraction of an even share. */
    public static final double LOW_SHARE = 0.5;

    /**
     * One image's prediction.
     *
     * @param label         true class index
     * @param predicted     predicted class index
     * @param probabilities one per class
     * @param fold          the fold whose model predicted it (-1 for test predictions)
     */
    public record Prediction(String id, String path, int label, int predicted, double[] probabilities, int fold) {
        /** The probability of the predicted class: how sure the model was. */
        public double confidence() {
            return probabilities[predicted];
        }

        public boolean correct() {
            return label == predicted;
        }
    }

    /** Images of one true class predicted as another, most confident first ({@link #EXAMPLES} at most). */
    public record Confusion(int label, int predicted, long count, List<Prediction> examples) {
    }

    private static final Comparator<Prediction> MOST_CONFIDENT =
            Comparator.comparingDouble(Prediction::confidence).reversed().thenComparing(Prediction::id);
    private static final Comparator<Prediction> LEAST_CONFIDENT =
            Comparator.comparingDouble(Prediction::confidence).thenComparing(Prediction::id);

    private final List<String> labels;
    private final Evaluation evaluation;
    private final long count;
    private final long errors;
    private final TreeSet<Integer> folds;
    private final List<Confusion> confusions;
    private final List<Prediction> mostConfidentMistakes;
    private final List<Prediction> leastConfidentCorrect;

    private ErrorAnalysis(Accumulator a) {
        this.labels = a.labels;
        this.count = a.count;
        this.folds = new TreeSet<>(a.folds);
        long[][] confusion = new long[labels.size()][];
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) {
            confusion[c] = a.confusion[c].clone(); // the accumulator may go on counting
            correct += confusion[c][c];
        }
        this.errors = count - correct;
        this.evaluation = new Evaluation(labels, confusion, Double.NaN, a.count);
        List<Confusion> cs = new ArrayList<>();
        a.examples.forEach((k, top) -> cs.add(new Confusion(k.get(0), k.get(1), a.confusion[k.get(0)][k.get(1)],
                top.sorted())));
        cs.sort(Comparator.comparingLong(Confusion::count).reversed()
                .thenComparing(c -> labels.get(c.label())).thenComparing(c -> labels.get(c.predicted())));
        this.confusions = List.copyOf(cs);
        this.mostConfidentMistakes = a.mistakes.sorted();
        this.leastConfidentCorrect = a.unsure.sorted();
    }

    public static ErrorAnalysis of(List<String> labels, List<Prediction> predictions) {
        Accumulator a = new Accumulator(labels);
        predictions.forEach(a::add);
        return a.result();
    }

    /**
     * Builds an analysis one prediction at a time, keeping counts and the {@link #EXAMPLES} examples
     * of each list only: memory does not grow with the number of predictions, so the report can read
     * an out-of-fold file of millions of rows.
     */
    public static final class Accumulator {
        private final List<String> labels;
        private final long[][] confusion;
        private final Set<Integer> folds = new TreeSet<>();
        private final Map<List<Integer>, Top> examples = new LinkedHashMap<>();
        private final Top mistakes = new Top(MOST_CONFIDENT);
        private final Top unsure = new Top(LEAST_CONFIDENT);
        private long count;

        public Accumulator(List<String> labels) {
            this.labels = List.copyOf(labels);
            this.confusion = new long[labels.size()][labels.size()];
        }

        public void add(Prediction p) {
            count++;
            confusion[p.label()][p.predicted()]++;
            folds.add(p.fold());
            if (p.correct()) {
                unsure.add(p);
            } else {
                mistakes.add(p);
                examples.computeIfAbsent(List.of(p.label(), p.predicted()), k -> new Top(MOST_CONFIDENT)).add(p);
            }
        }

        public ErrorAnalysis result() {
            return new ErrorAnalysis(this);
        }
    }

    /** The first {@link #EXAMPLES} predictions in an order, kept in a bounded heap. */
    private static final class Top {
        private final Comparator<Prediction> order;
        private final PriorityQueue<Prediction> heap;

        Top(Comparator<Prediction> order) {
            this.order = order;
            this.heap = new PriorityQueue<>(order.reversed()); // the head is the last one kept
        }

        void add(Prediction p) {
            if (heap.size() < EXAMPLES) {
                heap.add(p);
            } else if (order.compare(p, heap.peek()) < 0) {
                heap.poll();
                heap.add(p);
            }
        }

        List<Prediction> sorted() {
            return heap.stream().sorted(order).toList();
        }
    }

    public List<String> labels() {
        return labels;
    }

    /** Confusion matrix, precision/recall/F1 of the predictions. */
    public Evaluation evaluation() {
        return evaluation;
    }

    public long errors() {
        return errors;
    }

    /** The distinct folds present. */
    public TreeSet<Integer> folds() {
        return new TreeSet<>(folds);
    }

    /** Every confusion (true ≠ predicted) that occurs, most frequent first (ties by class names). */
    public List<Confusion> confusions() {
        return confusions;
    }

    /** The mistakes the model was surest of (often mislabelled data). */
    public List<Prediction> mostConfidentMistakes() {
        return mostConfidentMistakes;
    }

    /** The correct predictions the model was least sure of. */
    public List<Prediction> leastConfidentCorrect() {
        return leastConfidentCorrect;
    }

    /** Share of the predictions that are of class {@code c}. */
    public double share(int c) {
        return count == 0 ? Double.NaN : (double) evaluation.support(c) / count;
    }

    /** Error rate within class {@code c} (1 − recall); NaN without images of it. */
    public double classError(int c) {
        return evaluation.support(c) == 0 ? Double.NaN : 1 - evaluation.recall(c);
    }

    /** Whether class {@code c} has less data: a share below {@link #LOW_SHARE} of an even share. */
    public boolean lowData(int c) {
        return share(c) < LOW_SHARE / labels.size();
    }

    /** A few sentences of what the counts show, without claiming causes. */
    public String summary() {
        long n = count;
        if (n == 0) {
            return "No out-of-fold predictions.";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d of %d out-of-fold predictions are wrong (%s).",
                errors, n, percent((double) errors / n)));
        if (errors == 0) {
            return b.toString();
        }
        List<Confusion> confusions = confusions();
        Confusion top = confusions.get(0);
        b.append(String.format(Locale.ROOT, " %s → %s accounts for %s of errors (%d of %d).",
                labels.get(top.label()), labels.get(top.predicted()), percent((double) top.count() / errors),
                top.count(), errors));
        if (confusions.size() >= 3) {
            long three = confusions.stream().limit(3).mapToLong(Confusion::count).sum();
            b.append(String.format(Locale.ROOT, " The 3 most frequent confusions account for %s; %d distinct "
                    + "confusions occur.", percent((double) three / errors), confusions.size()));
        }
        int worst = 0;
        for (int c = 1; c < labels.size(); c++) {
            if (!(classError(c) <= classError(worst)) && !Double.isNaN(classError(c))) {
                worst = c;
            }
        }
        b.append(String.format(Locale.ROOT, " Class %s has the highest CV error (%s of its %d images).",
                labels.get(worst), percent(classError(worst)), evaluation.support(worst)));
        List<String> low = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            if (lowData(c)) {
                low.add(labels.get(c) + " (" + percent(share(c)) + " of the data, CV error " + percent(classError(c))
                        + ")");
            }
        }
        if (!low.isEmpty()) {
            b.append(" Classes with less data: ").append(String.join(", ", low)).append(".");
        }
        return b.toString();
    }

    private static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "–";
    }
}
