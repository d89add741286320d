package io.foldwise.report;

import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.kv;
import static io.foldwise.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.train.Evaluation;
import java.util.List;
import java.util.Optional;

/**
 * Two classes: the out-of-fold precision/recall curve (best/pr-curve.csv), the threshold chosen on
 * it, and the test metrics of the positive class at 0.5 and at that threshold.
 */
final class ThresholdSection {
    private ThresholdSection() {
    }

    static void append(StringBuilder b, ReportContext ctx) {
        Optional<CsvTable> curve = ctx.csv(ctx.layout.best().prCurveCsv());
        if (curve.isEmpty() || curve.get().size() == 0) {
            return;
        }
        CsvTable c = curve.get();
        int chosen = 0;
        double[] recall = new double[c.size()];
        double[] precision = new double[c.size()];
        for (int i = 0; i < c.size(); i++) {
            recall[i] = c.number(i, "recall");
            precision[i] = c.number(i, "precision");
            if (c.text(i, "chosen").equals("true")) {
                chosen = i;
            }
        }
        Optional<JsonNode> metrics = ctx.json(ctx.layout.best().testMetricsJson());
        Optional<Evaluation> at05 = metrics.map(Evaluation::fromJson);
        Optional<Evaluation> atT = metrics.filter(m -> m.has("atThreshold"))
                .map(m -> Evaluation.fromJson(m.get("atThreshold")));
        String positive = at05.map(e -> e.labels().get(1)).orElse("the positive class");
        b.append("<section id=\"threshold\"><h2>Precision/recall and the threshold</h2>\n<p>Out-of-fold precision and "
                + "recall of <strong>").append(esc(positive)).append("</strong> as the threshold on its probability "
                + "moves (<a href=\"../best/pr-curve.csv\">pr-curve.csv</a>); the chosen threshold is stored with the "
                + "model and used by predict.</p>\n");
        ctx.figure(b, ctx.report.precisionRecall(), Charts.lines("Out-of-fold precision/recall of " + positive,
                "recall", "precision", Charts.XAxis.LINEAR, List.of(
                        Charts.Series.line("precision/recall", recall, precision, Charts.CV, false),
                        Charts.Series.line("chosen threshold", new double[] {recall[chosen]},
                                new double[] {precision[chosen]}, Charts.TRAIN, false))), 640, 420,
                "Precision against recall over thresholds; the chosen threshold's point marked");
        b.append("<table class=\"kv\" id=\"threshold-chosen\">\n");
        kv(b, "threshold", esc(c.text(chosen, "threshold")));
        kv(b, "out-of-fold precision / recall / F1", num(precision[chosen], 4) + " / " + num(recall[chosen], 4)
                + " / " + num(c.number(chosen, "f1"), 4));
        at05.ifPresent(e -> kv(b, "test at 0.5: precision / recall / F1 / accuracy", num(e.precision(1), 4) + " / "
                + num(e.recall(1), 4) + " / " + num(e.f1(1), 4) + " / " + num(e.accuracy(), 4)));
        atT.ifPresent(e -> kv(b, "test at the threshold: precision / recall / F1 / accuracy", num(e.precision(1), 4)
                + " / " + num(e.recall(1), 4) + " / " + num(e.f1(1), 4) + " / " + num(e.accuracy(), 4)));
        b.append("</table>\n</section>\n");
    }
}
