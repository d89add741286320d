package io.foldwise.report;

import static io.foldwise.report.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.foldwise.select.StoredTrials;
import io.foldwise.store.TrialStore;

/** The trial directories: how many are done, failed and unfinished, and each failure's first line. */
final class TrialsSection {
    private TrialsSection() {
    }

    static void append(StringBuilder b, ReportContext ctx) {
        List<StoredTrials.Trial> all = StoredTrials.read(new TrialStore(ctx.storage, ctx.layout));
        if (all.isEmpty()) {
            return;
        }
        long done = all.stream().filter(t -> t.state() == TrialStore.State.DONE).count();
        List<StoredTrials.Trial> failed = all.stream().filter(t -> t.state() == TrialStore.State.FAILED).toList();
        b.append("<section id=\"trials\"><h2>Trials</h2>\n<p>").append(all.size()).append(" trial directories: ")
                .append(done).append(" done, ").append(failed.size()).append(" failed, ")
                .append(all.size() - done - failed.size()).append(" unfinished.</p>\n");
        if (!failed.isEmpty()) {
            b.append("<table class=\"data\"><thead><tr><th>failed trial</th><th>error</th></tr></thead><tbody>\n");
            for (StoredTrials.Trial t : failed) {
                b.append("<tr><td><code>").append(esc(t.trialId())).append("</code></td><td>")
                        .append(esc(t.error().orElse(""))).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        b.append("</section>\n");
    }
}
