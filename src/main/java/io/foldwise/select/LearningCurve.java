package io.foldwise.select;

import io.foldwise.store.Csv;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * J_train and J_cv of one grid point as its training set grows: per fraction of each fold's
 * training part, means and sample standard deviations over the folds.
 *
 * @param point the grid point
 * @param rows  one per fraction, ascending
 */
public record LearningCurve(GridPoint point, List<Row> rows) {
    public LearningCurve {
        rows = List.copyOf(rows);
    }

    /**
     * One training-set size.
     *
     * @param trainSize mean number of images trained on over the completed folds
     */
    public record Row(double fraction, double trainSize, int okFolds, int failedFolds, Stat jTrain, Stat jCv,
                      Stat trainError, Stat cvError) {
    }

    /** The curve of {@code point} from trial results (results of other points are ignored). */
    public static LearningCurve of(GridPoint point, Collection<TrialResult> results) {
        TreeMap<Double, List<TrialResult>> byFraction = new TreeMap<>();
        for (TrialResult r : results) {
            if (r.pointId().equals(point.id())) {
                byFraction.computeIfAbsent(r.fraction(), f -> new ArrayList<>()).add(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        byFraction.forEach((fraction, trials) -> {
            List<TrialResult> ok = trials.stream().filter(TrialResult::usable).toList();
            rows.add(new Row(fraction, ok.stream().mapToLong(TrialResult::trainSize).average().orElse(Double.NaN),
                    ok.size(), trials.size() - ok.size(), Leaderboard.stat(ok, TrialResult::jTrain),
                    Leaderboard.stat(ok, TrialResult::jCv), Leaderboard.stat(ok, TrialResult::trainError),
                    Leaderboard.stat(ok, TrialResult::cvError)));
        });
        return new LearningCurve(point, rows);
    }

    /** The rows with at least one completed fold. */
    public List<Row> completedRows() {
        return rows.stream().filter(r -> r.okFolds() > 0).toList();
    }

    /** learning-curve.csv for one or more points: a header, then one line per (point, fraction). */
    public static String toCsv(List<LearningCurve> curves) {
        StringBuilder out = new StringBuilder(Csv.line(List.of("point_id", "label", "fraction", "train_size",
                "ok_folds", "failed_folds", "j_train_mean", "j_train_std", "j_cv_mean", "j_cv_std",
                "train_error_mean", "train_error_std", "cv_error_mean", "cv_error_std")));
        for (LearningCurve c : curves) {
            for (Row r : c.rows()) {
                out.append(Csv.line(List.of(c.point().id(), c.point().label(), r.fraction(), r.trainSize(),
                        r.okFolds(), r.failedFolds(), r.jTrain().mean(), r.jTrain().std(), r.jCv().mean(),
                        r.jCv().std(), r.trainError().mean(), r.trainError().std(), r.cvError().mean(),
                        r.cvError().std())));
            }
        }
        return out.toString();
    }
}
