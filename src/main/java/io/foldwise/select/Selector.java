package io.foldwise.select;

import io.foldwise.FoldwiseException;
import io.foldwise.config.SelectionMetric;
import io.foldwise.config.SelectionRule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the grid point with the best mean cross-validation metric, in the metric's direction.
 * Means within {@link #TIE_TOLERANCE} of the best tie; ties go to the simpler model (fewer
 * trainable parameters), then to the larger λ, then to the earlier grid point. A point without a
 * completed trial is never chosen.
 */
public final class Selector {
    /** Metric means closer than this are a tie. */
    public static final double TIE_TOLERANCE = 1e-12;

    private Selector() {
    }

    /**
     * @param parameterCounts point id → the network's trainable parameter count (a transfer point's
     *                        frozen layers left out); needed for every
     *                        choosable point
     * @throws FoldwiseException        (exit 1) if no point has a completed trial
     * @throws IllegalArgumentException if a tied point has no parameter count
     */
    public static Selection select(Leaderboard leaderboard, Map<String, Long> parameterCounts) {
        return select(leaderboard, parameterCounts, SelectionRule.BEST);
    }

    /**
     * Chooses by {@code rule}: {@link SelectionRule#BEST} as described above;
     * {@link SelectionRule#ONESTANDARDERROR} takes that best point, then the simplest choosable point
     * (fewest parameters, then largest λ, then grid order) whose mean is within one standard error
     * (std / sqrt(n) of the best point's folds) of the best mean.
     */
    public static Selection select(Leaderboard leaderboard, Map<String, Long> parameterCounts, SelectionRule rule) {
        Selection best = selectBest(leaderboard, parameterCounts);
        if (rule == SelectionRule.BEST) {
            return best;
        }
        SelectionMetric metric = leaderboard.metric();
        double se = best.row().standardError();
        double bound = metric.higherIsBetter() ? best.row().metric().mean() - se : best.row().metric().mean() + se;
        List<Leaderboard.Row> within = leaderboard.rows().stream().filter(Leaderboard.Row::choosable)
                .filter(r -> !metric.better(bound, r.metric().mean() + (metric.higherIsBetter() ? TIE_TOLERANCE
                        : -TIE_TOLERANCE)))
                .toList();
        for (Leaderboard.Row r : within) {
            if (!parameterCounts.containsKey(r.point().id())) {
                throw new IllegalArgumentException("no parameter count for grid point " + r.point().id() + " ("
                        + r.point().label() + "), needed by the one-standard-error rule");
            }
        }
        Leaderboard.Row chosen = within.stream().min(simpler(parameterCounts)).orElse(best.row());
        if (chosen.index() == best.index()) {
            return new Selection(best.index(), best.row(), best.tied(), best.reason()
                    + "; one-standard-error rule: no simpler point within one standard error ("
                    + String.format(Locale.ROOT, "%.6g", se) + ")");
        }
        String reason = String.format(Locale.ROOT, "one-standard-error rule: the simplest point (%d parameters, l2 %s) "
                        + "whose mean %s %.6g is within one standard error (%.6g) of the best mean %.6g (%s)",
                parameterCounts.get(chosen.point().id()), GridPoint.plain(chosen.point().train().l2()),
                metric.configName(), chosen.metric().mean(), se, best.row().metric().mean(), best.point().label());
        return new Selection(chosen.index(), chosen, List.of(chosen.index()), reason);
    }

    private static Comparator<Leaderboard.Row> simpler(Map<String, Long> parameterCounts) {
        return Comparator.comparingLong((Leaderboard.Row r) -> parameterCounts.getOrDefault(r.point().id(), 0L))
                .thenComparing(r -> -r.point().train().l2())
                .thenComparingInt(Leaderboard.Row::index);
    }

    private static Selection selectBest(Leaderboard leaderboard, Map<String, Long> parameterCounts) {
        SelectionMetric metric = leaderboard.metric();
        List<Leaderboard.Row> choosable = leaderboard.rows().stream().filter(Leaderboard.Row::choosable).toList();
        if (choosable.isEmpty()) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, noneChoosable(leaderboard));
        }
        double best = choosable.get(0).metric().mean();
        for (Leaderboard.Row r : choosable) {
            if (metric.better(r.metric().mean(), best)) {
                best = r.metric().mean();
            }
        }
        double bestMean = best;
        List<Leaderboard.Row> tied = choosable.stream()
                .filter(r -> Math.abs(r.metric().mean() - bestMean) <= TIE_TOLERANCE).toList();
        for (Leaderboard.Row r : tied) {
            if (tied.size() > 1 && !parameterCounts.containsKey(r.point().id())) {
                throw new IllegalArgumentException("no parameter count for grid point " + r.point().id() + " ("
                        + r.point().label() + "), needed to break a tie");
            }
        }
        Leaderboard.Row chosen = tied.stream().min(simpler(parameterCounts)).orElseThrow();
        String reason = String.format(Locale.ROOT, "best mean %s %.6g over %d fold(s) (%s is better)",
                metric.configName(), chosen.metric().mean(), chosen.okFolds(),
                metric.higherIsBetter() ? "higher" : "lower");
        if (tied.size() > 1) {
            reason += "; tied with " + (tied.size() - 1) + " other point(s), chose the one with fewer trainable "
                    + "parameters ("
                    + parameterCounts.get(chosen.point().id()) + "), then the larger l2 ("
                    + GridPoint.plain(chosen.point().train().l2()) + ")";
        }
        if (chosen.failedFolds() > 0) {
            reason += "; note " + chosen.failedFolds() + " of its folds failed and are not in the mean";
        }
        return new Selection(chosen.index(), chosen, tied.stream().map(Leaderboard.Row::index).toList(), reason);
    }

    private static String noneChoosable(Leaderboard leaderboard) {
        int trials = 0;
        List<String> examples = new ArrayList<>();
        for (Leaderboard.Row r : leaderboard.rows()) {
            trials += r.failedFolds();
            for (String f : r.failures()) {
                if (examples.size() < 5) {
                    examples.add(r.point().id() + " (" + r.point().label() + ") " + f);
                }
            }
        }
        return "no grid point can be chosen: none of the " + leaderboard.rows().size() + " grid points has a "
                + "completed trial (" + trials + " trial(s) failed"
                + (trials == 0 ? ", none completed" : "") + ")"
                + (examples.isEmpty() ? "" : ". First failures:\n  - " + String.join("\n  - ", examples))
                + "\nSee each trial's directory under trials/ for details; fix the cause and re-run the sweep.";
    }
}
