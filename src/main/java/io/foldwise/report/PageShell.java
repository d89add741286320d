package io.foldwise.report;

import static io.foldwise.report.Html.esc;

import io.foldwise.Progress;
import io.foldwise.store.RunRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page around a report's sections: title, the run's status line, links to the sections, and
 * the style sheet and script inlined from the classpath (report.css, report.js beside this class)
 * so the page needs no other file and no network.
 */
final class PageShell {
    private static final Pattern SECTION = Pattern.compile("<section id=\"([a-z-]+)\">");

    private PageShell() {
    }

    /** The whole page for {@code body}, a run of sections. */
    static String page(ReportContext ctx, CharSequence body) {
        RunRecord run = ctx.run;
        String title = "Foldwise " + (run.command().isEmpty() ? "run" : run.command()) + " " + run.runId();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title)
                + "</title>\n<style>\n" + resource("report.css") + "</style>\n</head>\n<body>\n<h1>" + esc(title)
                + "</h1>\n" + header(ctx) + nav(body) + body + "<script>\n" + resource("report.js")
                + "</script>\n</body>\n</html>\n";
    }

    /** Status line, and the failure and config problems if any. */
    private static String header(ReportContext ctx) {
        RunRecord run = ctx.run;
        StringBuilder b = new StringBuilder();
        String status = run.status().json();
        b.append("<p class=\"status status-").append(esc(status)).append("\">status: <strong>").append(esc(status))
                .append("</strong>");
        run.seconds().ifPresent(s -> b.append(" · run time ").append(esc(Progress.clock(s))));
        b.append("</p>\n");
        run.error().ifPresent(e -> b.append("<div class=\"error\"><strong>The run failed:</strong> <pre>")
                .append(esc(e)).append("</pre></div>\n"));
        ctx.configProblem.ifPresent(p -> b.append("<div class=\"error\">The stored config could not be read (")
                .append(esc(p)).append("); sections that need it are left out.</div>\n"));
        return b.toString();
    }

    /** Links to the sections the body has. */
    private static String nav(CharSequence body) {
        StringBuilder b = new StringBuilder("<nav>");
        Matcher m = SECTION.matcher(body);
        while (m.find()) {
            b.append("<a href=\"#").append(m.group(1)).append("\">").append(m.group(1).replace('-', ' '))
                    .append("</a> ");
        }
        return b.append("</nav>\n").toString();
    }

    private static String resource(String name) {
        try (InputStream in = PageShell.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
