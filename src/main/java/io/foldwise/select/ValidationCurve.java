package io.foldwise.select;

import io.foldwise.store.Csv;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * J_train and J_cv against λ, one curve per architecture. When the grid varies other keys too
 * (learning rate, epochs, ...), the curves are the slice through {@code at} (usually the chosen
 * point): only points whose other grid values equal {@code at}'s.
 *
 * @param rows by architecture (in grid order of first appearance), then by λ ascending
 */
public record ValidationCurve(List<Row> rows) {
    public ValidationCurve {
        rows = List.copyOf(rows);
    }

    /**
     * One (architecture, λ) point of the curve: means and sample standard deviations over folds.
     *
     * @param architecture {@link io.foldwise.config.ArchitectureSpec#describe()}
     */
    public record Row(String architecture, double l2, String pointId, int okFolds, Stat jTrain, Stat jCv,
                      Stat trainError, Stat cvError) {
    }

    /** The curves through {@code at}, from a leaderboard's rows. */
    public static ValidationCurve of(Leaderboard leaderboard, GridPoint at) {
        List<String> others = leaderboard.gridKeys().stream()
                .filter(k -> !k.equals("architecture") && !k.equals("l2")).toList();
        List<Leaderboard.Row> slice = leaderboard.rows().stream()
                .filter(r -> others.stream().allMatch(k -> r.point().canonical(k).equals(at.canonical(k))))
                .toList();
        Set<String> archOrder = new LinkedHashSet<>();
        slice.forEach(r -> archOrder.add(r.point().train().architecture().describe()));
        List<String> archs = new ArrayList<>(archOrder);
        List<Row> rows = new ArrayList<>();
        for (Leaderboard.Row r : slice) {
            rows.add(new Row(r.point().train().architecture().describe(), r.point().train().l2(), r.point().id(),
                    r.okFolds(), r.jTrain(), r.jCv(), r.trainError(), r.cvError()));
        }
        rows.sort(Comparator.comparingInt((Row r) -> archs.indexOf(r.architecture())).thenComparingDouble(Row::l2));
        return new ValidationCurve(rows);
    }

    /** The architectures, in curve order. */
    public List<String> architectures() {
        return rows.stream().map(Row::architecture).distinct().toList();
    }

    /** The rows of one architecture, by λ. */
    public List<Row> curve(String architecture) {
        return rows.stream().filter(r -> r.architecture().equals(architecture)).toList();
    }

    /** validation-curve.csv: a header, then one line per (architecture, λ). */
    public String toCsv() {
        StringBuilder out = new StringBuilder(Csv.line(List.of("architecture", "l2", "point_id", "ok_folds",
                "j_train_mean", "j_train_std", "j_cv_mean", "j_cv_std", "train_error_mean", "train_error_std",
                "cv_error_mean", "cv_error_std")));
        for (Row r : rows) {
            out.append(Csv.line(List.of(r.architecture(), r.l2(), r.pointId(), r.okFolds(), r.jTrain().mean(),
                    r.jTrain().std(), r.jCv().mean(), r.jCv().std(), r.trainError().mean(), r.trainError().std(),
                    r.cvError().mean(), r.cvError().std())));
        }
        return out.toString();
    }
}
