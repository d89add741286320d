package io.foldwise.select;

import io.foldwise.config.HalvingConfig;
import io.foldwise.config.SelectionMetric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Successive halving over folds and epochs, the method only: the rungs' budgets and who is
 * promoted. Rung i trains on min(k, minFolds·η^i) folds for min(E, minEpochs·η^i) epochs; the last
 * rung is always all k folds for E epochs (E = the point's {@code train.epochs}). After each rung
 * but the last, the best ⌊n/η⌋ (at least one) by the rung's mean metric go on.
 */
public final class Halving {
    private Halving() {
    }

    /** One rung's budget. */
    public record Rung(int index, int folds, int epochs) {
    }

    /**
     * Why a candidate left: the rung it was stopped at, what it saw there and its mean over those
     * trials (the partial mean; not comparable with a full k-fold mean).
     */
    public record Stop(int rung, int folds, int epochs, Stat metric) {
    }

    /** Rungs needed for both budgets to reach k folds and {@code maxEpochs}: at least 1. */
    public static int rungCount(int k, int maxEpochs, HalvingConfig h) {
        int rungs = 1;
        long folds = h.minFolds();
        long epochs = h.minEpochs();
        while (folds < k || epochs < maxEpochs) {
            folds *= h.eta();
            epochs *= h.eta();
            rungs++;
        }
        return rungs;
    }

    /** Rung {@code i} of {@code count} for a point with {@code epochs} epochs on k folds. */
    public static Rung rung(int i, int count, int k, int epochs, HalvingConfig h) {
        if (i == count - 1) {
            return new Rung(i, k, epochs);
        }
        double grow = Math.pow(h.eta(), i);
        return new Rung(i, (int) Math.min(k, h.minFolds() * grow), (int) Math.min(epochs, h.minEpochs() * grow));
    }

    /**
     * The candidates that go on: the best ⌊n/η⌋ of {@code alive} (at least one) by their rung mean
     * in the metric's direction; a candidate without a mean (all its rung trials failed) comes last.
     * Ties (within {@link Selector#TIE_TOLERANCE}) as in selection: fewer parameters, then larger λ,
     * then the earlier candidate. Returned in the order of {@code alive}.
     */
    public static List<GridPoint> promote(List<GridPoint> alive, Map<String, Stat> rungMeans, SelectionMetric metric,
                                          int eta, Map<String, Long> parameterCounts) {
        int keep = Math.max(1, alive.size() / eta);
        Comparator<GridPoint> byMean = (a, b) -> {
            double x = rungMeans.getOrDefault(a.id(), Stat.of(List.of())).mean();
            double y = rungMeans.getOrDefault(b.id(), Stat.of(List.of())).mean();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return Boolean.compare(Double.isNaN(x), Double.isNaN(y));
            }
            if (Math.abs(x - y) <= Selector.TIE_TOLERANCE) {
                return 0;
            }
            return metric.better(x, y) ? -1 : 1;
        };
        Comparator<GridPoint> order = byMean
                .thenComparingLong(p -> parameterCounts.getOrDefault(p.id(), 0L))
                .thenComparing(p -> -p.train().l2())
                .thenComparingInt(alive::indexOf);
        List<GridPoint> best = alive.stream().sorted(order).limit(keep).toList();
        List<GridPoint> out = new ArrayList<>(alive);
        out.retainAll(best);
        return List.copyOf(out);
    }
}
