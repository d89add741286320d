package io.foldwise.report;

import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.kv;

import io.foldwise.store.Json;
import io.foldwise.store.Provenance;

/** Versions, git commit, host and the resolved configuration of the run. */
final class ProvenanceSection {
    private ProvenanceSection() {
    }

    static void append(StringBuilder b, ReportContext ctx) {
        Provenance p = ctx.run.provenance();
        b.append("<section id=\"provenance\"><h2>Provenance</h2>\n<table class=\"kv\">\n");
        kv(b, "Java / Spark / DL4J", esc(p.javaVersion()) + " / " + esc(p.sparkVersion()) + " / "
                + esc(p.dl4jVersion()));
        kv(b, "git commit", "<code>" + esc(p.gitCommit()) + "</code>");
        kv(b, "host / user", esc(p.host()) + " / " + esc(p.user()));
        kv(b, "run directory", "<code>" + esc(ctx.layout.runDir()) + "</code>");
        b.append("</table>\n<p>Files: <a href=\"../run.json\">run.json</a></p>\n");
        b.append("<details><summary>Resolved configuration</summary><pre id=\"config\">")
                .append(esc(Json.render(ctx.run.config()))).append("</pre></details>\n</section>\n");
    }
}
