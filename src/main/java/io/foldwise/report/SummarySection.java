package io.foldwise.report;

import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.kv;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;
import static io.foldwise.report.Html.stat;

import io.foldwise.select.BestParams;
import io.foldwise.train.Evaluation;
import java.util.Optional;

/** A sweep's summary: run facts, the chosen point with its CV metric, the test metrics and class counts. */
final class SummarySection {
    private SummarySection() {
    }

    static void append(StringBuilder b, ReportContext ctx, Optional<CsvTable> board, int chosen, String metric,
                       Optional<Evaluation> test) {
        Optional<BestParams> bestParams = ctx.json(ctx.layout.best().paramsJson()).map(BestParams::fromJson);
        b.append("<section id=\"summary\"><h2>Summary</h2>\n");
        RunFacts.table(b, ctx);
        RunFacts.transferSources(b, ctx, board);
        b.append("<h3>Chosen point</h3>\n");
        if (chosen >= 0) {
            CsvTable t = board.get();
            b.append("<table class=\"kv\">\n");
            kv(b, "grid values", "<span id=\"chosen-point-label\">" + esc(t.text(chosen, "label")) + "</span>");
            kv(b, "point id", "<code id=\"chosen-point-id\">" + esc(t.text(chosen, "point_id")) + "</code>");
            bestParams.ifPresent(p -> kv(b, "why", esc(p.reason())));
            kv(b, "cross-validation " + esc(metric), esc(stat(t.number(chosen, metric + "_mean"),
                    t.number(chosen, metric + "_std"))) + " over " + esc(t.text(chosen, "ok_folds")) + " folds");
            kv(b, "J_train / J_cv (data loss)", esc(stat(t.number(chosen, "j_train_mean"), t.number(chosen, "j_train_std")))
                    + " / " + esc(stat(t.number(chosen, "j_cv_mean"), t.number(chosen, "j_cv_std"))));
            bestParams.ifPresent(p -> p.parameters().ifPresent(n -> kv(b, "parameters", esc(n))));
            bestParams.flatMap(BestParams::transferSource).ifPresent(s -> kv(b, "started from",
                    "<code>" + esc(s.uri()) + "</code> (run " + esc(s.runId()) + ")"));
            bestParams.flatMap(BestParams::refitEpochs).ifPresent(e -> kv(b, "refit epochs",
                    esc(e.epochs() + ": " + e.reason())));
            b.append("</table>\n");
        } else {
            b.append("<p class=\"missing\">No point chosen yet (leaderboard.csv is not written until every grid "
                    + "trial has finished).</p>\n");
        }
        b.append("<h3>Test set</h3>\n");
        if (test.isPresent()) {
            Evaluation t = test.get();
            b.append("<p>Read once, after selection and the refit on all training data; it took no part in "
                    + "choosing anything.</p>\n<table class=\"kv\">\n");
            kv(b, "accuracy", "<span id=\"test-accuracy\" data-value=\"" + raw(t.accuracy())
                    + "\">" + num(t.accuracy(), 4) + "</span>");
            kv(b, "loss (cross-entropy)", num(t.dataLoss(), 4));
            kv(b, "macro F1", num(t.macroF1(), 4));
            kv(b, "images", esc(t.count()));
            b.append("</table>\n");
        } else {
            b.append("<p class=\"missing\">No test evaluation (best/test-metrics.json is written after the refit).</p>\n");
        }
        RunFacts.classCounts(b, ctx, "test images", test);
        b.append("</section>\n");
    }
}
