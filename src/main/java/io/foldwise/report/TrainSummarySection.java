package io.foldwise.report;

import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.kv;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;

import io.foldwise.store.TransferSource;
import io.foldwise.train.Evaluation;
import io.foldwise.train.TrainMetrics;
import java.util.Locale;
import java.util.Optional;

/** A train run's summary: run facts, the network, final metrics on both splits and class counts. */
final class TrainSummarySection {
    private TrainSummarySection() {
    }

    static void append(StringBuilder b, ReportContext ctx, Optional<TrainMetrics> metrics) {
        b.append("<section id=\"summary\"><h2>Summary</h2>\n");
        RunFacts.table(b, ctx);
        RunFacts.transferSources(b, ctx, Optional.empty());
        ctx.config.ifPresent(c -> {
            b.append("<h3>Network</h3>\n<table class=\"kv\">\n");
            Optional<TransferSource> source = c.train().transfer().from().flatMap(f -> ctx.run.transferSources()
                    .stream().filter(t -> t.from().equals(f)).findFirst());
            kv(b, "architecture", esc(source.map(TransferSource::architecture)
                    .orElse(c.train().architecture().describe())));
            source.ifPresent(t -> kv(b, "started from", "<code>" + esc(t.uri()) + "</code> (run " + esc(t.runId())
                    + ", classes " + esc(String.join(", ", t.labels())) + "), freeze "
                    + esc(c.train().transfer().freezeText())));
            kv(b, "λ (train.l2)", esc(c.train().l2()));
            kv(b, "updater", esc(c.train().updater().name().toLowerCase(Locale.ROOT)) + ", learning rate "
                    + esc(c.train().learningRate()));
            kv(b, "epochs × batch size", c.train().epochs() + " × " + c.train().batchSize());
            b.append("</table>\n");
        });
        b.append("<h3>Final metrics</h3>\n");
        if (metrics.isPresent()) {
            b.append("<table class=\"data\"><thead><tr><th>set</th><th>images</th><th>accuracy</th><th>error</th>"
                    + "<th>loss (data)</th><th>macro F1</th></tr></thead><tbody>\n");
            row(b, "train", metrics.get().train());
            metrics.get().validation().ifPresent(v -> row(b, "validation", v));
            b.append("</tbody></table>\n<p>L2 term of the final objective: ")
                    .append(num(metrics.get().penalty(), 4)).append(".</p>\n");
        } else {
            b.append("<p class=\"missing\">metrics.json not written (the run did not finish training).</p>\n");
        }
        RunFacts.classCounts(b, ctx, "validation images", metrics.flatMap(TrainMetrics::validation));
        b.append("</section>\n");
    }

    private static void row(StringBuilder b, String set, Evaluation e) {
        b.append("<tr><td>").append(set).append("</td><td>").append(esc(e.count()))
                .append("</td><td id=\"").append(set).append("-accuracy\" data-value=\"")
                .append(raw(e.accuracy())).append("\">").append(num(e.accuracy(), 4)).append("</td><td>")
                .append(num(e.error(), 4)).append("</td><td>").append(num(e.dataLoss(), 4)).append("</td><td>")
                .append(num(e.macroF1(), 4)).append("</td></tr>\n");
    }
}
