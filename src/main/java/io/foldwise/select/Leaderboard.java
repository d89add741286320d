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
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Per grid point, in grid order: mean and sample standard deviation over folds of J_train, J_cv,
 * the training and cross-validation errors and the selection metric, from the trials that
 * trained on a whole fold training part (fraction 1). Failed trials are counted, not averaged.
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
     */
    public record Row(int index, GridPoint point, int okFolds, int failedFolds, Stat jTrain, Stat jCv,
                      Stat trainError, Stat cvError, Stat metric, List<String> failures) {
        public Row {
            failures = List.copyOf(failures);
        }

        /** True if at least one fold completed, so that the point can be chosen. */
        public boolean choosable() {
            return okFolds > 0 && Double.isFinite(metric.mean());
        }
    }

    /**
     * Summarises {@code results} per point of {@code points}. Results at fractions below 1
     * (learning-curve trials) are ignored.
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
            if (r.fraction() == 1.0) {
                byPoint.get(r.pointId()).add(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            GridPoint p = points.get(i);
            List<TrialResult> trials = new ArrayList<>(byPoint.get(p.id()));
            trials.sort(Comparator.comparingInt(TrialResult::fold));
            List<TrialResult> ok = trials.stream().filter(TrialResult::usable).toList();
            List<String> failures = trials.stream().filter(t -> !t.usable())
                    .map(t -> "fold " + t.fold() + ": " + t.problem().orElse("")).toList();
            rows.add(new Row(i, p, ok.size(), trials.size() - ok.size(), stat(ok, TrialResult::jTrain),
                    stat(ok, TrialResult::jCv), stat(ok, TrialResult::trainError), stat(ok, TrialResult::cvError),
                    stat(ok, t -> t.metric(metric)), failures));
        }
        return new Leaderboard(metric, rows);
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
     * grid key's canonical value, fold counts, means and standard deviations, and {@code best}
     * (true for the chosen row). Standard deviations of fewer than two folds are empty.
     */
    public String toCsv(OptionalInt best) {
        String m = metric.configName();
        List<Object> header = new ArrayList<>(List.of("index", "point_id", "label"));
        header.addAll(gridKeys());
        header.addAll(List.of("ok_folds", "failed_folds", "j_train_mean", "j_train_std", "j_cv_mean", "j_cv_std",
                "train_error_mean", "train_error_std", "cv_error_mean", "cv_error_std", m + "_mean", m + "_std",
                "best"));
        StringBuilder out = new StringBuilder(Csv.line(header));
        for (Row r : rows) {
            List<Object> line = new ArrayList<>(List.of(r.index(), r.point().id(), r.point().label()));
            for (String k : gridKeys()) {
                line.add(r.point().canonical(k));
            }
            line.addAll(List.of(r.okFolds(), r.failedFolds(), r.jTrain().mean(), r.jTrain().std(), r.jCv().mean(),
                    r.jCv().std(), r.trainError().mean(), r.trainError().std(), r.cvError().mean(), r.cvError().std(),
                    r.metric().mean(), r.metric().std(), best.isPresent() && best.getAsInt() == r.index()));
            out.append(Csv.line(line));
        }
        return out.toString();
    }

    /** A fixed-width table for the console; the chosen row, if any, is marked with {@code *}. */
    public String toTable(OptionalInt best) {
        String m = metric.configName() + (metric.higherIsBetter() ? " (higher is better)" : " (lower is better)");
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"", "#", "point", "grid values", "folds", "J_train", "J_cv", "cv error", m});
        for (Row r : rows) {
            cells.add(new String[] {best.isPresent() && best.getAsInt() == r.index() ? "*" : "",
                String.valueOf(r.index()), r.point().id(), r.point().label(),
                r.okFolds() + (r.failedFolds() > 0 ? " (" + r.failedFolds() + " failed)" : ""),
                r.jTrain().format(), r.jCv().format(), r.cvError().format(), r.metric().format()});
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
