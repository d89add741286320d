package io.foldwise.report;

import static io.foldwise.report.Html.cell;
import static io.foldwise.report.Html.cellHtml;
import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;

import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.SelectionMetric;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * leaderboard.csv as a sortable table, the chosen row highlighted, with each point's comparison with
 * the choice (corrected resampled t-test) and a flag when the choice is not significantly better
 * than the runner-up.
 */
final class LeaderboardSection {
    private LeaderboardSection() {
    }

    /** The leaderboard row marked {@code best}, or -1 before the choice. */
    static int chosenRow(CsvTable t) {
        for (int i = 0; i < t.size(); i++) {
            if ("true".equals(t.text(i, "best"))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The selection metric: from the config, else the metric whose {@code <name>_mean} column the
     * leaderboard has (found by name, so added or reordered columns do not change it).
     */
    static SelectionMetric metric(Optional<FoldwiseConfig> config, Optional<CsvTable> board) {
        if (config.isPresent()) {
            return config.get().sweep().metric();
        }
        return board.flatMap(t -> Arrays.stream(SelectionMetric.values())
                .filter(m -> t.has(m.configName() + "_mean")).findFirst()).orElse(SelectionMetric.ACCURACY);
    }

    /** Below this p-value a difference counts as significant in the report's flag. */
    static final double ALPHA = 0.05;

    static void append(StringBuilder b, Optional<CsvTable> board, int chosen, SelectionMetric selection) {
        b.append("<section id=\"leaderboard\"><h2>Leaderboard</h2>\n");
        if (board.isEmpty()) {
            b.append("<p class=\"missing\">leaderboard.csv not written yet.</p></section>\n");
            return;
        }
        CsvTable t = board.get();
        String metric = selection.configName();
        List<String> keys = t.header().subList(t.header().indexOf("label") + 1, t.header().indexOf("ok_folds"));
        b.append("<p>Per grid point: mean ± sample standard deviation over the cross-validation folds. J is the "
                + "data loss (cross-entropy without the L2 term), error is 1 − accuracy. The chosen row is "
                + "highlighted; click a column header to sort.</p>\n");
        boolean compared = t.has("p_value");
        if (compared && chosen >= 0) {
            significance(b, t, chosen, selection);
        }
        b.append("<div class=\"scroll\"><table class=\"sortable data\" id=\"leaderboard-table\"><thead><tr><th>#</th>"
                + "<th>point</th>");
        keys.forEach(k -> b.append("<th>").append(esc(k)).append("</th>"));
        b.append("<th>folds</th><th>J_train</th><th>J_cv</th><th>train error</th><th>CV error</th><th>")
                .append(esc(metric)).append(selection.higherIsBetter() ? " ↑" : " ↓").append("</th>");
        if (compared) {
            b.append("<th>chosen − this</th><th>p (df)</th>");
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < t.size(); i++) {
            b.append(i == chosen ? "<tr class=\"chosen\" title=\"chosen\">" : "<tr>");
            cell(b, t.text(i, "index"), (i == chosen ? "★ " : "") + t.text(i, "index"));
            cellHtml(b, t.text(i, "point_id"), "<code>" + esc(t.text(i, "point_id")) + "</code>");
            for (String k : keys) {
                cell(b, t.text(i, k), t.text(i, k));
            }
            String failed = t.text(i, "failed_folds");
            String stopped = t.has("stopped_at_rung") ? t.text(i, "stopped_at_rung") : "";
            cell(b, t.text(i, "ok_folds"), t.text(i, "ok_folds") + ("0".equals(failed) ? "" : " (" + failed + " failed)")
                    + (stopped.isEmpty() ? "" : "; stopped at halving rung " + stopped + " after "
                    + t.text(i, "rung_folds") + " fold(s) x " + t.text(i, "rung_epochs") + " epoch(s), partial mean "
                    + num(t.number(i, "rung_" + metric + "_mean"), 4)));
            for (String q : List.of("j_train", "j_cv", "train_error", "cv_error", metric)) {
                double mean = t.number(i, q + "_mean");
                double std = t.number(i, q + "_std");
                cellHtml(b, raw(mean), num(mean, 4) + (Double.isFinite(std)
                        ? " <span class=\"sd\">± " + num(std, 4) + "</span>" : ""));
            }
            if (compared) {
                double diff = t.number(i, "diff_vs_chosen");
                double p = t.number(i, "p_value");
                cell(b, raw(diff), Double.isFinite(diff) ? num(diff, 4) : "");
                cell(b, raw(p), Double.isFinite(p) ? num(p, 3) + " (" + t.text(i, "df") + ")" : "");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n<p>File: <a href=\"../leaderboard.csv\">leaderboard.csv</a></p></section>\n");
    }

    /**
     * What the p-values mean, in one sentence, and whether the choice is significantly better than
     * the runner-up (the other choosable point with the best mean).
     */
    private static void significance(StringBuilder b, CsvTable t, int chosen, SelectionMetric selection) {
        String metric = selection.configName();
        b.append("<p id=\"p-value-meaning\">The p-value of a point is the probability, if it were really as good as "
                + "the chosen point, of seeing a mean difference over the shared folds at least this large; it comes "
                + "from the corrected resampled t-test (Nadeau &amp; Bengio 2003), which widens the variance for the "
                + "overlap of the folds' training sets, and a small p (below " + ALPHA + ") means the chosen point is "
                + "better beyond fold-to-fold noise.</p>\n");
        int second = -1;
        for (int i = 0; i < t.size(); i++) {
            double mean = t.number(i, metric + "_mean");
            if (i == chosen || !Double.isFinite(mean)) {
                continue;
            }
            if (second < 0 || selection.better(mean, t.number(second, metric + "_mean"))) {
                second = i;
            }
        }
        if (second < 0) {
            return;
        }
        double p = t.number(second, "p_value");
        if (!(p < ALPHA)) {
            b.append("<p class=\"flag\" id=\"not-significant\">⚑ The chosen point is <strong>not significantly "
                    + "better than #2</strong> (point " + esc(t.text(second, "index")) + ", "
                    + esc(t.text(second, "label")) + "): p = " + (Double.isFinite(p) ? num(p, 3) : "undefined")
                    + " over " + esc(t.text(second, "df")) + " degrees of freedom. More folds or sweep.repeats give "
                    + "the test more power.</p>\n");
        } else {
            b.append("<p id=\"significant\">The chosen point is significantly better than #2 (point "
                    + esc(t.text(second, "index")) + "): p = " + num(p, 3) + ".</p>\n");
        }
    }
}
