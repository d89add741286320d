package io.foldwise.select;

import io.foldwise.config.HalvingConfig;
import io.foldwise.config.SelectionMetric;
import io.foldwise.config.SweepConfig;
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

    /**
     * The rungs of one sweep's halving: how many, each point's budget at each, and the trials that
     * budget means. The sweep trains by it and {@code status} counts by it, so they cannot disagree.
     *
     * @param rungs   the number of rungs ({@link #rungCount} for the candidates' largest epochs)
     * @param k       folds per repeat ({@code sweep.folds})
     * @param repeats {@code sweep.repeats}: the last rung trains every repeat, earlier ones repeat 0 only
     */
    public record Plan(int rungs, int k, int repeats, HalvingConfig config) {
        /** The plan of {@code sweep} for {@code candidates}. */
        public static Plan of(SweepConfig sweep, List<GridPoint> candidates) {
            int maxEpochs = candidates.stream().mapToInt(p -> p.train().epochs()).max().orElse(1);
            return new Plan(rungCount(sweep.folds(), maxEpochs, sweep.halving()), sweep.folds(), sweep.repeats(),
                    sweep.halving());
        }

        /** True for the last rung: all k folds of every repeat at the point's own epochs. */
        public boolean last(int rung) {
            return rung == rungs - 1;
        }

        /** {@code point}'s budget at rung {@code i}. */
        public Rung rung(int i, GridPoint point) {
            return Halving.rung(i, rungs, k, point.train().epochs(), config);
        }

        /** Folds per repeat at rung {@code i} (the same for every point). */
        public int folds(int i) {
            return Halving.rung(i, rungs, k, 1, config).folds(); // folds do not depend on the epochs
        }

        /** Trials per candidate at rung {@code i}: its folds, times the repeats on the last rung. */
        public int trialsPerCandidate(int i) {
            return folds(i) * (last(i) ? repeats : 1);
        }

        /**
         * The trials of {@code point} at rung {@code i}; a rung trained for the point's own epochs
         * has the point's plain trial ids (the same as the last rung's, so they are shared).
         */
        public List<TrialSpec> specs(int i, GridPoint point) {
            Rung rung = rung(i, point);
            int epochs = rung.epochs() == point.train().epochs() ? 0 : rung.epochs();
            List<TrialSpec> specs = new ArrayList<>();
            for (int r = 0; r < (last(i) ? repeats : 1); r++) {
                for (int f = 0; f < rung.folds(); f++) {
                    specs.add(new TrialSpec(point, r, f, 1.0, epochs));
                }
            }
            return specs;
        }

        /**
         * How many candidates reach rung {@code i} when {@code n} start: each rung keeps
         * {@link #survivors} of the one before (fewer only when a budget stops the sweep).
         */
        public int candidates(int i, int n) {
            int alive = n;
            for (int j = 0; j < i; j++) {
                alive = survivors(alive, config.eta());
            }
            return alive;
        }
    }

    /** How many of {@code alive} candidates a rung promotes: ⌊alive/η⌋, at least one. */
    public static int survivors(int alive, int eta) {
        return Math.max(1, alive / eta);
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
        int keep = survivors(alive.size(), eta);
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
