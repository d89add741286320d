package io.foldwise.select;

import io.foldwise.config.ThresholdConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The precision/recall curve of a two-class problem from per-bin counts of the positive class's
 * out-of-fold probability, and the decision threshold chosen on it. Threshold {@code k / bins}
 * predicts positive when the probability is at least it, i.e. for every bin from {@code k} up.
 *
 * @param points one per candidate threshold, ascending
 * @param chosen index of the chosen threshold in {@code points}
 */
public record Threshold(List<Point> points, int chosen) {
    /** Bins of the positive-class probability. */
    public static final int BINS = 1000;

    /** One candidate threshold and what it gives. */
    public record Point(double threshold, long truePositives, long falsePositives, long falseNegatives) {
        public double precision() {
            long predicted = truePositives + falsePositives;
            return predicted == 0 ? 1 : (double) truePositives / predicted;
        }

        public double recall() {
            long actual = truePositives + falseNegatives;
            return actual == 0 ? 0 : (double) truePositives / actual;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /** The bin of a probability: {@code floor(p × bins)}, 1.0 in the last bin. */
    public static int bin(double p) {
        return Math.max(0, Math.min(BINS - 1, (int) Math.floor(p * BINS)));
    }

    /**
     * The curve over thresholds {@code k / bins} (k = 1 .. bins − 1, where some image's bin starts) and
     * the chosen point.
     *
     * @param positives images of the positive class per bin
     * @param negatives images of the other class per bin
     */
    public static Threshold choose(long[] positives, long[] negatives, ThresholdConfig goal) {
        int bins = positives.length;
        long totalPos = 0;
        for (long v : positives) {
            totalPos += v;
        }
        List<Point> points = new ArrayList<>();
        long tp = 0;
        long fp = 0;
        List<Point> descending = new ArrayList<>();
        for (int k = bins - 1; k >= 1; k--) {
            tp += positives[k];
            fp += negatives[k];
            if (positives[k] + negatives[k] > 0 || k == bins / 2) {
                descending.add(new Point((double) k / bins, tp, fp, totalPos - tp));
            }
        }
        for (int i = descending.size() - 1; i >= 0; i--) {
            points.add(descending.get(i));
        }
        int best = -1;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            boolean eligible = switch (goal.optimise()) {
                case F1 -> true;
                case PRECISION -> p.precision() >= goal.min();
                case RECALL -> p.recall() >= goal.min();
            };
            if (!eligible) {
                continue;
            }
            if (best < 0 || score(p, goal) > score(points.get(best), goal)) {
                best = i;
            }
        }
        if (best < 0) {
            // Nothing reaches the minimum: the threshold closest to it.
            best = 0;
            for (int i = 1; i < points.size(); i++) {
                if (reach(points.get(i), goal) > reach(points.get(best), goal)) {
                    best = i;
                }
            }
        }
        return new Threshold(points, best);
    }

    private static double score(Point p, ThresholdConfig goal) {
        return switch (goal.optimise()) {
            case F1 -> p.f1();
            case PRECISION -> p.recall();
            case RECALL -> p.precision();
        };
    }

    private static double reach(Point p, ThresholdConfig goal) {
        return goal.optimise() == ThresholdConfig.Goal.RECALL ? p.recall() : p.precision();
    }

    /**
     * Area under the precision/recall curve as average precision: the sum over thresholds, from the
     * highest down, of precision × the recall gained; NaN without positives.
     */
    public double aucPr() {
        double area = 0;
        double lastRecall = 0;
        boolean any = false;
        for (int i = points.size() - 1; i >= 0; i--) {
            Point p = points.get(i);
            any |= p.truePositives() + p.falseNegatives() > 0;
            area += p.precision() * (p.recall() - lastRecall);
            lastRecall = p.recall();
        }
        return any ? area : Double.NaN;
    }

    public Point chosenPoint() {
        return points.get(chosen);
    }

    public double value() {
        return chosenPoint().threshold();
    }

    /** threshold, precision, recall, f1, tp, fp, fn; one row per point. */
    public String toCsv() {
        StringBuilder b = new StringBuilder("threshold,precision,recall,f1,true_positives,false_positives,"
                + "false_negatives,chosen\n");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            b.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%d,%d,%d,%s%n", p.threshold(), p.precision(), p.recall(),
                    p.f1(), p.truePositives(), p.falsePositives(), p.falseNegatives(), i == chosen));
        }
        return b.toString();
    }
}
