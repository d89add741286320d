package io.foldwise.report;

import static io.foldwise.report.Html.cell;
import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;

import io.foldwise.train.Evaluation;

/** An evaluation's accuracy line, confusion-matrix heat map and per-class table (test or validation set). */
final class EvaluationBlock {
    private EvaluationBlock() {
    }

    static void append(StringBuilder b, ReportContext ctx, Evaluation e, String title) {
        int n = e.labels().size();
        b.append("<p>Accuracy ").append(num(e.accuracy(), 4)).append(", macro F1 ").append(num(e.macroF1(), 4))
                .append(", loss ").append(num(e.dataLoss(), 4)).append(" on ").append(esc(e.count()))
                .append(" images.</p>\n");
        if (n > 0) {
            int size = Math.max(480, Math.min(1000, 160 + 44 * n));
            ctx.figure(b, ctx.report.confusion(), Charts.confusion(title, e.labels(), e.confusion()), size, size + 60,
                    "Confusion matrix: rows are actual classes, columns predicted ones; colour is the share of the "
                            + "actual class, numbers are counts");
        }
        b.append("<table class=\"sortable data\" id=\"per-class\"><thead><tr><th>class</th><th>precision</th>"
                + "<th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>\n");
        for (int c = 0; c < n; c++) {
            b.append("<tr>");
            cell(b, e.labels().get(c), e.labels().get(c));
            for (double v : new double[] {e.precision(c), e.recall(c), e.f1(c)}) {
                cell(b, raw(v), num(v, 4));
            }
            cell(b, String.valueOf(e.support(c)), String.valueOf(e.support(c)));
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }
}
