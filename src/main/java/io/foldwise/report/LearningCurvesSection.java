package io.foldwise.report;

import java.util.Arrays;
import static io.foldwise.report.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Learning curves (learning-curve.csv): error rates with the baseline error as a dashed line, and
 * data losses, against the training-set size.
 */
final class LearningCurvesSection {
    private LearningCurvesSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, String chosenId) {
        b.append("<section id=\"learning-curves\"><h2>Learning curves</h2>\n");
        Optional<CsvTable> curve = ctx.csv(ctx.layout.learningCurveCsv());
        if (curve.isEmpty() || curve.get().size() == 0) {
            b.append("<p class=\"missing\">No learning curve (learningCurve.fractions is empty, or the curve trials "
                    + "have not finished).</p></section>\n");
            return;
        }
        CsvTable t = curve.get();
        OptionalDouble baseline = ctx.config.map(c -> c.diagnosis().baselineError()).orElse(OptionalDouble.empty());
        b.append("<p>J_train and J_cv as the training set grows: each size is a stratified subsample of every fold's "
                + "training part, k-fold at each size; points are means over folds, bands ± 1 standard deviation. "
                + "The first chart shows error rates (1 − accuracy)"
                + (baseline.isPresent() ? ", with the baseline error (diagnosis.baselineError, also an error rate) "
                + "as a dashed line" : "; no baseline error is configured (diagnosis.baselineError)")
                + "; the second the data losses.</p>\n");
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : t.groups("point_id").entrySet()) {
            List<Integer> rows = e.getValue();
            String label = t.text(rows.get(0), "label");
            String which = e.getKey().equals(chosenId) ? "chosen point " : "point ";
            double[] size = t.column(rows, "train_size");
            List<Charts.Series> errors = new ArrayList<>(List.of(
                    Charts.Series.band("training error", size, t.column(rows, "train_error_mean"),
                            t.column(rows, "train_error_std"), Charts.TRAIN),
                    Charts.Series.band("cross-validation error", size, t.column(rows, "cv_error_mean"),
                            t.column(rows, "cv_error_std"), Charts.CV)));
            if (baseline.isPresent()) {
                double lo = Arrays.stream(size).filter(Double::isFinite).min().orElse(0);
                double hi = Arrays.stream(size).filter(Double::isFinite).max().orElse(1);
                double v = baseline.getAsDouble();
                errors.add(Charts.Series.line("baseline error", new double[] {lo, hi}, new double[] {v, v},
                        Charts.BASELINE, true));
            }
            ctx.figure(b, ctx.report.learningCurveError(k), Charts.lines("Learning curve (error rate): " + label,
                    "training-set size (images)", "error rate (1 − accuracy)", Charts.XAxis.LINEAR, errors),
                    Charts.WIDTH, Charts.HEIGHT, "Learning curve of " + which + e.getKey() + " (" + label + "), error rates");
            ctx.figure(b, ctx.report.learningCurveLoss(k), Charts.lines("Learning curve (data loss): " + label,
                    "training-set size (images)", "data loss (cross-entropy)", Charts.XAxis.LINEAR, List.of(
                            Charts.Series.band("J_train", size, t.column(rows, "j_train_mean"),
                                    t.column(rows, "j_train_std"), Charts.TRAIN),
                            Charts.Series.band("J_cv", size, t.column(rows, "j_cv_mean"),
                                    t.column(rows, "j_cv_std"), Charts.CV))),
                    Charts.WIDTH, Charts.HEIGHT, "Learning curve of " + which + e.getKey() + " (" + label + "), data losses");
            k++;
        }
        b.append("<p>File: <a href=\"../learning-curve.csv\">learning-curve.csv</a></p></section>\n");
    }
}
