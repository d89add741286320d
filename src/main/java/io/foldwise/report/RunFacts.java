package io.foldwise.report;

import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.kv;

import io.foldwise.Progress;
import io.foldwise.store.DataFacts;
import io.foldwise.store.RunRecord;
import io.foldwise.store.TransferSource;
import io.foldwise.train.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The facts table and the images-per-class table that open both page types' summary. */
final class RunFacts {
    private RunFacts() {
    }

    static void table(StringBuilder b, ReportContext ctx) {
        RunRecord run = ctx.run;
        b.append("<table class=\"kv\">\n");
        kv(b, "run", esc(run.runId()) + " (" + esc(run.command()) + ")");
        kv(b, "status", esc(run.status().json()));
        kv(b, "started", esc(run.provenance().started()));
        run.finished().ifPresent(f -> kv(b, "finished", esc(f) + " (run time "
                + esc(Progress.clock(run.seconds().orElse(Double.NaN))) + ")"));
        ctx.config.ifPresent(c -> {
            kv(b, "training data", "<code>" + esc(c.data().train()) + "</code> (" + esc(c.data().format().name()
                    .toLowerCase(Locale.ROOT)) + ", " + esc(c.data().shape()) + ")");
            if (run.sweep()) {
                kv(b, "test data", c.data().test().map(t -> "<code>" + esc(t) + "</code>")
                        .orElse("held out: " + esc(c.data().testFraction()) + " of the training data"));
                kv(b, "selection", esc(c.sweep().folds()) + "-fold cross-validation by mean "
                        + esc(c.sweep().metric().configName()) + ", sweep.seed " + esc(c.sweep().seed()));
            }
        });
        run.data().ifPresent(data -> {
            kv(b, "training images", data.trainingImages() + (data.droppedInvalid() > 0
                    ? " (" + data.droppedInvalid() + " unreadable files skipped)" : ""));
            kv(b, "data fingerprint", "<code>" + esc(data.fingerprint()) + "</code>");
        });
        b.append("</table>\n");
    }

    /**
     * The saved models the run's networks started from (run.json's transferSources), each with its
     * lineage and, in a sweep, the grid points that started from it.
     */
    static void transferSources(StringBuilder b, ReportContext ctx, Optional<CsvTable> board) {
        List<TransferSource> sources = ctx.run.transferSources();
        if (sources.isEmpty()) {
            return;
        }
        b.append("<h3>Transfer sources</h3>\n<p>Networks that start from a saved model keep its hidden layers (the "
                + "first <code>freeze</code> blocks fixed) and get a new output layer for this run's classes.</p>\n"
                + "<table class=\"data\" id=\"transfer-sources\"><thead><tr><th>train.transfer.from</th><th>model</th>"
                + "<th>source run</th><th>source data fingerprint</th><th>source classes</th><th>architecture</th>")
                .append(board.isPresent() ? "<th>grid points starting from it</th>" : "")
                .append("</tr></thead><tbody>\n");
        for (TransferSource s : sources) {
            b.append("<tr><td><code>").append(esc(s.from())).append("</code></td><td><code>").append(esc(s.uri()))
                    .append("</code>").append(s.modelFingerprint().isEmpty() ? ""
                            : " (fingerprint <code>" + esc(s.modelFingerprint()) + "</code>)").append("</td><td>").append(esc(s.runId())).append("</td><td><code>")
                    .append(esc(s.dataFingerprint())).append("</code></td><td>").append(esc(String.join(", ", s.labels())))
                    .append("</td><td>").append(esc(s.architecture())).append("</td>");
            board.ifPresent(t -> {
                List<String> points = new ArrayList<>();
                for (int r = 0; r < t.size(); r++) {
                    if (t.text(r, "label").contains("transfer=" + s.from() + " freeze=")) {
                        points.add(t.text(r, "point_id") + " (" + t.text(r, "label") + ")");
                    }
                }
                b.append("<td>").append(esc(String.join("; ", points))).append("</td>");
            });
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    /** Class counts: training images from run.json, and the second column from an evaluation's support. */
    static void classCounts(StringBuilder b, ReportContext ctx, String otherHeading, Optional<Evaluation> evaluation) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Optional<DataFacts> data = ctx.run.data();
        data.ifPresent(d -> {
            d.labels().forEach(l -> rows.put(l, new String[] {"", ""}));
            d.classCounts().forEach((label, n) -> rows.computeIfAbsent(label, k -> new String[] {"", ""})[0] =
                    String.valueOf(n));
        });
        evaluation.ifPresent(e -> {
            for (int c = 0; c < e.labels().size(); c++) {
                rows.computeIfAbsent(e.labels().get(c), k -> new String[] {"", ""})[1] = String.valueOf(e.support(c));
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h3>Data: images per class</h3>\n<table class=\"data\" id=\"class-counts\"><thead><tr><th>class</th>"
                + "<th>training images</th><th>").append(esc(otherHeading)).append("</th></tr></thead><tbody>\n");
        rows.forEach((label, counts) -> b.append("<tr><td>").append(esc(label)).append("</td><td>")
                .append(esc(counts[0])).append("</td><td>").append(esc(counts[1])).append("</td></tr>\n"));
        b.append("</tbody></table>\n");
    }
}
