package io.foldwise.report;

import static io.foldwise.report.Html.cell;
import static io.foldwise.report.Html.cellHtml;
import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;

import io.foldwise.select.ErrorAnalysis;
import io.foldwise.select.ErrorAnalysis.Confusion;
import io.foldwise.select.ErrorAnalysis.Prediction;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.Evaluation;
import io.foldwise.train.ValidationPredictions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;

/**
 * Error analysis from the chosen point's out-of-fold predictions (best/oof-predictions.csv): a
 * summary, per-class errors with each class's share of the data, the most frequent confusions with
 * thumbnails of their images (most confident first), and the most confident mistakes and least
 * confident correct predictions. The thumbnails are files the sweep wrote (best/thumbnails), so
 * the page needs nothing but the run directory.
 */
final class ErrorAnalysisSection {
    /** Confusions shown with their thumbnails. */
    static final int CONFUSIONS = 10;
    private static final String P = ValidationPredictions.P;

    private ErrorAnalysisSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, Optional<Evaluation> test) {
        b.append("<section id=\"errors\"><h2>Error analysis</h2>\n");
        Path oof = ctx.layout.best().oofPredictionsCsv();
        if (!ctx.storage.exists(oof)) {
            b.append("<p class=\"missing\">No out-of-fold predictions: the chosen point's trials were committed before "
                    + "Foldwise recorded predictions (or the sweep has not selected a point yet). Run the sweep under "
                    + "a new run id to see its errors.</p>\n</section>\n");
            return;
        }
        ErrorAnalysis analysis = read(ctx.storage, oof);
        List<String> labels = analysis.labels();
        b.append("<p>From <a href=\"../best/oof-predictions.csv\">oof-predictions.csv</a>: every training image "
                + "predicted by the model of the fold that held it out (the chosen point, before the refit).</p>\n");
        ctx.config.ifPresent(c -> {
            Set<Integer> missing = new TreeSet<>();
            for (int f = 0; f < c.sweep().folds(); f++) {
                missing.add(f);
            }
            missing.removeAll(analysis.folds());
            if (!missing.isEmpty()) {
                b.append("<p class=\"missing\">Fold(s) ").append(esc(missing)).append(" have no predictions: their "
                        + "trials were committed before Foldwise recorded predictions. The analysis covers the other "
                        + "folds only.</p>\n");
            }
        });
        b.append("<p class=\"summary\" id=\"error-summary\">").append(esc(analysis.summary())).append("</p>\n");
        perClass(b, analysis, test);
        Set<String> thumbs = new HashSet<>(ctx.storage.list(ctx.layout.best().thumbnailsDir()));
        List<Confusion> confusions = analysis.confusions();
        b.append("<h3>Most frequent confusions</h3>\n");
        if (confusions.isEmpty()) {
            b.append("<p>No mistakes.</p>\n");
        }
        for (Confusion c : confusions.subList(0, Math.min(CONFUSIONS, confusions.size()))) {
            b.append("<div class=\"confusion\" data-true=\"").append(esc(labels.get(c.label())))
                    .append("\" data-predicted=\"").append(esc(labels.get(c.predicted()))).append("\"><h4>")
                    .append(esc(labels.get(c.label()))).append(" → ").append(esc(labels.get(c.predicted())))
                    .append(": ").append(c.count()).append(" image").append(c.count() == 1 ? "" : "s")
                    .append(" (").append(num(100.0 * c.count() / analysis.errors(), 1)).append("% of errors)</h4>\n");
            gallery(b, c.examples(), labels, thumbs);
            b.append("</div>\n");
        }
        b.append("<h3>Most confident mistakes</h3>\n<p>Often mislabelled images, or classes that really look alike.</p>\n");
        gallery(b, analysis.mostConfidentMistakes(), labels, thumbs);
        b.append("<h3>Least confident correct predictions</h3>\n");
        gallery(b, analysis.leastConfidentCorrect(), labels, thumbs);
        b.append("</section>\n");
    }

    /**
     * The out-of-fold predictions read back a row at a time (the file has a row per training image);
     * the classes are the {@code p_} columns in order.
     */
    static ErrorAnalysis read(Storage storage, Path csv) {
        try (Reader in = new BufferedReader(new InputStreamReader(storage.open(csv), StandardCharsets.UTF_8))) {
            CsvRecords records = new CsvRecords(in);
            List<String> header = Optional.ofNullable(records.next()).orElse(List.of());
            List<String> labels = new ArrayList<>();
            int[] probs = IntStream.range(0, header.size()).filter(j -> header.get(j).startsWith(P)).toArray();
            for (int j : probs) {
                labels.add(header.get(j).substring(P.length()));
            }
            int id = header.indexOf(ValidationPredictions.ID);
            int path = header.indexOf("path");
            int label = header.indexOf(ValidationPredictions.LABEL);
            int predicted = header.indexOf(ValidationPredictions.PREDICTED);
            int fold = header.indexOf(ValidationPredictions.FOLD);
            ErrorAnalysis.Accumulator out = new ErrorAnalysis.Accumulator(labels);
            for (List<String> r = records.next(); r != null; r = records.next()) {
                if (r.size() == 1 && r.get(0).isEmpty()) {
                    continue; // a blank line
                }
                while (r.size() < header.size()) {
                    r.add("");
                }
                double[] p = new double[probs.length];
                for (int c = 0; c < p.length; c++) {
                    p[c] = CsvTable.number(r.get(probs[c]));
                }
                out.add(new Prediction(r.get(id), path >= 0 ? r.get(path) : "", labels.indexOf(r.get(label)),
                        labels.indexOf(r.get(predicted)), p, fold >= 0 ? (int) CsvTable.number(r.get(fold)) : -1));
            }
            return out.result();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + csv, e);
        }
    }

    private static void perClass(StringBuilder b, ErrorAnalysis a, Optional<Evaluation> test) {
        Evaluation e = a.evaluation();
        List<String> labels = a.labels();
        b.append("<table class=\"sortable data\" id=\"error-per-class\"><thead><tr><th>class</th><th>images</th>"
                + "<th>share</th><th>CV error</th><th>test error</th><th>precision</th><th>recall</th><th>F1</th>"
                + "<th>less data</th></tr></thead><tbody>\n");
        for (int c = 0; c < labels.size(); c++) {
            String name = labels.get(c);
            double testError = test.filter(t -> t.labels().contains(name))
                    .map(t -> {
                        int i = t.labels().indexOf(name);
                        return t.support(i) == 0 ? Double.NaN : 1 - t.recall(i);
                    }).orElse(Double.NaN);
            b.append(a.lowData(c) ? "<tr class=\"low-data\">" : "<tr>");
            cell(b, name, name);
            cell(b, String.valueOf(e.support(c)), String.valueOf(e.support(c)));
            cell(b, raw(a.share(c)), num(100 * a.share(c), 1) + "%");
            for (double v : new double[] {a.classError(c), testError, e.precision(c), e.recall(c), e.f1(c)}) {
                cell(b, raw(v), num(v, 4));
            }
            cellHtml(b, a.lowData(c) ? "1" : "0", a.lowData(c) ? "<strong>less data</strong>" : "");
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n<p>CV error: the share of the class's images the fold models got wrong. "
                + "Flagged: classes with less than ").append(num(100 * ErrorAnalysis.LOW_SHARE, 0))
                .append("% of an even share of the data.</p>\n");
    }

    /** A row of thumbnails with the true and predicted class and the probability of the predicted one. */
    private static void gallery(StringBuilder b, List<Prediction> images, List<String> labels, Set<String> thumbs) {
        b.append("<div class=\"gallery\">");
        for (Prediction p : images) {
            String file = RunLayout.thumbnailName(p.id());
            String caption = labels.get(p.label()) + " → " + labels.get(p.predicted()) + " p="
                    + num(p.confidence(), 3);
            b.append("<figure class=\"thumb\" data-id=\"").append(esc(p.id())).append("\" data-true=\"")
                    .append(esc(labels.get(p.label()))).append("\" data-predicted=\"")
                    .append(esc(labels.get(p.predicted()))).append("\" title=\"").append(esc(p.id() + " " + p.path()))
                    .append("\">");
            if (thumbs.contains(file)) {
                b.append("<img src=\"../best/thumbnails/").append(esc(file)).append("\" alt=\"").append(esc(p.id()))
                        .append("\">");
            } else {
                b.append("<span class=\"no-thumb\">").append(esc(p.id())).append("</span>");
            }
            b.append("<figcaption>").append(esc(caption)).append("</figcaption></figure>");
        }
        b.append("</div>\n");
    }
}
