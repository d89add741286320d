package io.foldwise.report;

import static io.foldwise.report.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jfree.chart.JFreeChart;

/** J_train and J_cv against λ with ± std bands, one chart per architecture (validation-curve.csv). */
final class ValidationCurvesSection {
    private ValidationCurvesSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, String chosenId) {
        b.append("<section id=\"validation-curves\"><h2>Validation curves</h2>\n");
        Optional<CsvTable> curve = ctx.csv(ctx.layout.validationCurveCsv());
        if (curve.isEmpty() || curve.get().size() == 0) {
            b.append("<p class=\"missing\">validation-curve.csv not written yet.</p></section>\n");
            return;
        }
        CsvTable t = curve.get();
        Map<String, List<Integer>> byArch = t.groups("architecture");
        boolean log = true;
        for (int i = 0; i < t.size(); i++) {
            log &= t.number(i, "l2") > 0;
        }
        b.append("<p>J_train and J_cv (data loss, mean over folds; band ± 1 standard deviation) against λ (train.l2)"
                + (log ? " on a log axis" : " (linear axis: a λ of 0 has no logarithm)")
                + ", one chart per architecture; other grid keys are held at the chosen point's values.</p>\n");
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : byArch.entrySet()) {
            List<Integer> rows = e.getValue();
            double[] l2 = t.column(rows, "l2");
            String chosenNote = "";
            for (int r : rows) {
                if (t.text(r, "point_id").equals(chosenId)) {
                    chosenNote = "; chosen: λ = " + t.text(r, "l2");
                }
            }
            JFreeChart c = Charts.lines("Validation curve: " + e.getKey(), "λ (train.l2)", "data loss (cross-entropy)",
                    log ? Charts.XAxis.LOG : Charts.XAxis.LINEAR, List.of(
                            Charts.Series.band("J_train", l2, t.column(rows, "j_train_mean"),
                                    t.column(rows, "j_train_std"), Charts.TRAIN),
                            Charts.Series.band("J_cv", l2, t.column(rows, "j_cv_mean"),
                                    t.column(rows, "j_cv_std"), Charts.CV)));
            ctx.figure(b, ctx.report.validationCurve(k++), c, Charts.WIDTH, Charts.HEIGHT,
                    "Validation curve of " + e.getKey() + chosenNote);
        }
        b.append("<p>File: <a href=\"../validation-curve.csv\">validation-curve.csv</a></p></section>\n");
    }
}
