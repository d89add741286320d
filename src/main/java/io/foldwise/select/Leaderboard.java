package io.foldwise.select;

import io.foldwise.config.SelectionMetric;
import io.foldwise.store.Csv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Per grid point, in grid order: mean and sample standard deviation over folds of J_train, J_cv,
 * the training and cross-validation errors and the selection metric, from the trials that
 * trained on a whole fold training part (fraction 1). Failed trials are counted, not averaged.
 * With repeated k-fold, "folds" are all (repeat, fold) pairs. Once a point is chosen,
 * {@link #comparedWith} adds to every other row the corrected resampled t-test of the chosen
 * point against it over their shared folds.
 *
 * @param metric the selection metric and its direction
 * @param rows   one row per grid point, in grid order
 */
public record Leaderboard(SelectionMetric metric, List<Row> rows) {
    public Leaderboard {
        rows = List.copyOf(rows);
    }

    /**
     * One grid point's cross-validation summary.
     *
     * @param index       position in grid order
     * @param failures    {@code fold N: message} for each failed trial
     * @param folds       the selection metric of each completed trial, by (repeat, fold)
     * @param vsChosen    the chosen point minus this one over their shared folds, with the corrected
     *                    resampled t-test; empty for the chosen row and before the choice
     * @param stopped     where successive halving stopped this candidate (it is then not choosable)
     */
    public record Row(int index, GridPoint point, int okFolds, int failedFolds, Stat jTrain, Stat jCv,
                      Stat trainError, Stat cvError, Stat metric, List<String> failures, List<FoldValue> folds,
                      Optional<CorrectedTTest> vsChosen, Optional<Halving.Stop> stopped) {
        public Row {
            failures = List.copyOf(failures);
            folds = List.copyOf(folds);
        }

        /** A row without per-fold values and comparison (summaries built by hand). */
        public Row(int index, GridPoint point, int okFolds, int failedFolds, Stat jTrain, Stat jCv, Stat trainError,
                   Stat cvError, Stat metric, List<String> failures) {
            this(index, point, okFolds, failedFolds, jTrain, jCv, trainError, cvError, metric, failures, List.of(),
                    Optional.empty(), Optional.empty());
        }

        /** The standard error of the mean metric, std / sqrt(n); 0 with fewer than two folds. */
        public double standardError() {
            return metric.n() < 2 ? 0 : metric.std() / Math.sqrt(metric.n());
        }

        Row withComparison(Optional<CorrectedTTest> test) {
            return new Row(index, point, okFolds, failedFolds, jTrain, jCv, trainError, cvError, metric, failures,
                    folds, test, stopped);
        }

        Row withStop(Optional<Halving.Stop> stop) {
            return new Row(index, point, okFolds, failedFolds, jTrain, jCv, trainError, cvError, metric, failures,
                    folds, vsChosen, stop);
        }

        /**
         * True if at least one fold completed and successive halving did not stop the point, so
         * that it can be chosen.
         */
        public boolean choosable() {
            return okFolds > 0 && Double.isFinite(metric.mean()) && stopped.isEmpty();
        }
    }

    /**
     * Summarises {@code results} per point of {@code points}. Results at fractions below 1
     * (learning-curve trials) and of successive-halving rungs with fewer epochs are ignored.
     *
     * @throws IllegalArgumentException for a result of a point not in {@code points}, or two
     *                                  results of the same trial
     */
    public static Leaderboard of(List<GridPoint> points, Collection<TrialResult> results, SelectionMetric metric) {
        Map<String, List<TrialResult>> byPoint = new LinkedHashMap<>();
        for (GridPoint p : points) {
            byPoint.put(p.id(), new ArrayList<>());
        }
        Set<TrialId> seen = new HashSet<>();
        for (TrialResult r : results) {
            if (!byPoint.containsKey(r.pointId())) {
                throw new IllegalArgumentException("result of trial " + r.trialId() + " names no grid point");
            }
            if (!seen.add(r.trialId())) {
                throw new IllegalArgumentException("two results for trial " + r.trialId());
            }
            if (r.fraction() == 1.0 && r.epochs() == 0) {
                byPoint.get(r.pointId()).add(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            GridPoint p = points.get(i);
            List<TrialResult> trials = new ArrayList<>(byPoint.get(p.id()));
            trials.sort(Comparator.comparingInt(TrialResult::repeat).thenComparingInt(TrialResult::fold));
            List<TrialResult> ok = trials.stream().filter(TrialResult::usable).toList();
            List<String> failures = trials.stream().filter(t -> !t.usable())
                    .map(t -> (t.repeat() > 0 ? "repeat " + t.repeat() + " " : "") + "fold " + t.fold() + ": "
                            + t.problem().orElse("")).toList();
            rows.add(new Row(i, p, ok.size(), trials.size() - ok.size(), stat(ok, TrialResult::jTrain),
                    stat(ok, TrialResult::jCv), stat(ok, TrialResult::trainError), stat(ok, TrialResult::cvError),
                    stat(ok, t -> t.metric(metric)), failures,
                    ok.stream().map(t -> new FoldValue(t.repeat(), t.fold(), t.metric(metric))).toList(),
                    Optional.empty(), Optional.empty()));
        }
        return new Leaderboard(metric, rows);
    }

    /** One completed trial's selection metric. */
    public record FoldValue(int repeat, int fold, double value) {
    }

    /**
     * This leaderboard with every row but {@code chosen} compared with it: per shared (repeat, fold),
     * the chosen point's metric minus the row's, and the corrected resampled t-test of those
     * differences ({@link CorrectedTTest}).
     *
     * @param testTrainRatio n_test / n_train of one fold ({@link CorrectedTTest#kFoldRatio})
     */
    public Leaderboard comparedWith(int chosen, double testTrainRatio) {
        Row best = rows.get(chosen);
        Map<List<Integer>, Double> bestFolds = new LinkedHashMap<>();
        best.folds().forEach(f -> bestFolds.put(List.of(f.repeat(), f.fold()), f.value()));
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.index() == chosen) {
                out.add(r.withComparison(Optional.empty()));
                continue;
            }
            double[] d = r.folds().stream().filter(f -> bestFolds.containsKey(List.of(f.repeat(), f.fold())))
                    .mapToDouble(f -> bestFolds.get(List.of(f.repeat(), f.fold())) - f.value()).toArray();
            out.add(r.withComparison(d.length == 0 ? Optional.empty()
                    : Optional.of(CorrectedTTest.of(d, testTrainRatio))));
        }
        return new Leaderboard(metric, out);
    }

    /** This leaderboard with the candidates successive halving stopped marked (no longer choosable). */
    public Leaderboard withStopped(Map<String, Halving.Stop> stopped) {
        return new Leaderboard(metric, rows.stream()
                .map(r -> r.withStop(Optional.ofNullable(stopped.get(r.point().id())))).toList());
    }

    /**
     * The choosable row with the best mean other than {@code chosen}: the runner-up the report
     * compares the choice with.
     */
    public Optional<Row> runnerUp(int chosen) {
        return rows.stream().filter(r -> r.choosable() && r.index() != chosen)
                .reduce((a, b) -> metric.better(b.metric().mean(), a.metric().mean()) ? b : a);
    }

    static Stat stat(List<TrialResult> trials, ToDoubleFunction<TrialResult> f) {
        return Stat.of(trials.stream().map(t -> f.applyAsDouble(t)).toList());
    }

    /** The row of a point id. */
    public Optional<Row> row(String pointId) {
        return rows.stream().filter(r -> r.point().id().equals(pointId)).findFirst();
    }

    /**
     * The choosable row with the best mean metric (the first of equals, in grid order): the best so
     * far while a sweep runs. The sweep's choice also breaks near-ties ({@link Selector}).
     */
    public Optional<Row> leader() {
        return rows.stream().filter(Row::choosable)
                .reduce((a, b) -> metric.better(b.metric().mean(), a.metric().mean()) ? b : a);
    }

    /** The grid keys, in grid order (those of the first point). */
    public List<String> gridKeys() {
        return rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).point().values().keySet());
    }

    /**
     * leaderboard.csv: a header, then one line per point in grid order with its id, label, each
     * grid key's canonical value, fold counts, means and standard deviations, {@code best}
     * (true for the chosen row), then the comparison with the chosen point: {@code diff_vs_chosen}
     * (the chosen point's mean metric minus this one's over their shared folds), the corrected
     * resampled t statistic, its degrees of freedom and two-sided p-value ({@code t}, {@code df},
     * {@code p_value}), and for a candidate successive halving stopped, the rung, the folds and
     * epochs it saw there and its partial mean ({@code stopped_at_rung}, {@code rung_folds},
     * {@code rung_epochs}, {@code rung_<metric>_mean}). Standard deviations of fewer than two folds,
     * and values that do not apply, are empty.
     */
    public String toCsv(OptionalInt best) {
        String m = metric.configName();
        List<Object> header = new ArrayList<>(List.of("index", "point_id", "label"));
        header.addAll(gridKeys());
        header.addAll(List.of("ok_folds", "failed_folds", "j_train_mean", "j_train_std", "j_cv_mean", "j_cv_std",
                "train_error_mean", "train_error_std", "cv_error_mean", "cv_error_std", m + "_mean", m + "_std",
                "best", "diff_vs_chosen", "t", "df", "p_value", "stopped_at_rung", "rung_folds", "rung_epochs",
                "rung_" + m + "_mean"));
        StringBuilder out = new StringBuilder(Csv.line(header));
        for (Row r : rows) {
            List<Object> line = new ArrayList<>(List.of(r.index(), r.point().id(), r.point().label()));
            for (String k : gridKeys()) {
                line.add(r.point().canonical(k));
            }
            line.addAll(List.of(r.okFolds(), r.failedFolds(), r.jTrain().mean(), r.jTrain().std(), r.jCv().mean(),
                    r.jCv().std(), r.trainError().mean(), r.trainError().std(), r.cvError().mean(), r.cvError().std(),
                    r.metric().mean(), r.metric().std(), best.isPresent() && best.getAsInt() == r.index()));
            Optional<CorrectedTTest> c = r.vsChosen();
            line.addAll(List.of(c.map(x -> (Object) x.meanDifference()).orElse(""),
                    c.map(x -> (Object) x.t()).orElse(""), c.map(x -> (Object) x.df()).orElse(""),
                    c.map(x -> (Object) x.pValue()).orElse("")));
            Optional<Halving.Stop> h = r.stopped();
            line.addAll(List.of(h.map(x -> (Object) x.rung()).orElse(""), h.map(x -> (Object) x.folds()).orElse(""),
                    h.map(x -> (Object) x.epochs()).orElse(""), h.map(x -> (Object) x.metric().mean()).orElse("")));
            out.append(Csv.line(line));
        }
        return out.toString();
    }

    /** A fixed-width table for the console; the chosen row, if any, is marked with {@code *}. */
    public String toTable(OptionalInt best) {
        String m = metric.configName() + (metric.higherIsBetter() ? " (higher is better)" : " (lower is better)");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"", "#", "point", "grid values", "folds", "J_train", "J_cv", "cv error", m,
            "chosen - this (p)"});
        for (Row r : rows) {
            cells.add(new String[] {best.isPresent() && best.getAsInt() == r.index() ? "*" : "",
                String.valueOf(r.index()), r.point().id(), r.point().label(),
                r.okFolds() + (r.failedFolds() > 0 ? " (" + r.failedFolds() + " failed)" : "")
                        + r.stopped().map(h -> String.format(Locale.ROOT, " stopped at rung %d (%d fold(s) x %d "
                        + "epoch(s): %.4f)", h.rung(), h.folds(), h.epochs(), h.metric().mean())).orElse(""),
                r.jTrain().format(), r.jCv().format(), r.cvError().format(), r.metric().format(),
                r.vsChosen().map(c -> String.format(Locale.ROOT, "%+.4f (%s)", c.meanDifference(),
                        Double.isFinite(c.pValue()) ? String.format(Locale.ROOT, "%.3f", c.pValue()) : "-"))
                        .orElse("")});
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int j = 0; j < row.length; j++) {
                width[j] = Math.max(width[j], row[j].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < width.length; j++) {
                String cell = cells.get(i)[j];
                boolean right = j == 1 || j >= 5;
                String pad = " ".repeat(width[j] - cell.length());
                line.append(j == 0 ? "" : "  ").append(right ? pad + cell : cell + pad);
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (i == 0) {
                out.append("-".repeat(Arrays.stream(width).sum() + 2 * (width.length - 1))).append('\n');
            }
        }
        return out.toString();
    }
}
