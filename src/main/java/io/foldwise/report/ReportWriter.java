package io.foldwise.report;

import io.foldwise.Progress;
import static io.foldwise.report.Html.esc;
import static io.foldwise.report.Html.num;
import static io.foldwise.report.Html.raw;
import static io.foldwise.report.Html.stat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.FoldwiseException;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialId;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import io.foldwise.train.EpochStats;
import java.awt.Color;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.JFreeChart;

/**
 * Renders a run's {@code report/index.html} and its PNG charts from the files the run stored
 * (run.json, leaderboard.csv, validation-curve.csv, learning-curve.csv, diagnosis.json, trial
 * curves, best/), and nothing else: no retraining, no Spark. The page is self-contained (charts
 * beside it, relative links, inline CSS and script, no network) and every string from config or
 * data is HTML-escaped. Missing files (a failed or still running run) leave their sections out.
 */
public final class ReportWriter {
    private final Storage storage;
    private final RunLayout layout;
    private final RunLayout.ReportLayout report;
    private final Set<String> charts = new HashSet<>();
    private JsonNode run;
    private Optional<FoldwiseConfig> config = Optional.empty();
    private String configProblem;

    private ReportWriter(Storage storage, RunLayout layout) {
        this.storage = storage;
        this.layout = layout;
        this.report = layout.report();
    }

    /**
     * Writes the report of the run in {@code layout} and returns the path of its index.html.
     *
     * @throws FoldwiseException (usage) if {@code layout} is not a run directory
     */
    public static Path write(Storage storage, RunLayout layout) {
        return new ReportWriter(storage, layout).write();
    }

    /**
     * {@link #write}, but a failure is logged as a warning instead of thrown: a run's results are
     * stored whether or not its report could be drawn, and {@code foldwise report} can redraw it.
     */
    /** What a job calls when its run ends, finished or failed: write the report and say where. */
    public static java.util.function.Consumer<RunLayout> afterRun(Storage storage) {
        return layout -> writeQuietly(storage, layout).ifPresent(index -> Progress.line("report %s", index));
    }

    public static Optional<Path> writeQuietly(Storage storage, RunLayout layout) {
        try {
            return Optional.of(write(storage, layout));
        } catch (RuntimeException e) {
            Progress.warn("report of %s not written (%s); re-render it with ./submit.sh report %s", layout.runDir(),
                    e, layout.runDir());
            return Optional.empty();
        }
    }

    private Path write() {
        run = RunRecord.read(storage, layout);
        try {
            config = Optional.of(RunRecord.config(run));
        } catch (FoldwiseException e) {
            configProblem = e.getMessage();
        }
        boolean sweep = "sweep".equals(run.path("command").asText());
        StringBuilder body = new StringBuilder();
        if (sweep) {
            sweepBody(body);
        } else {
            trainBody(body);
        }
        String title = "Foldwise " + run.path("command").asText("run") + " " + run.path("runId").asText();
        storage.writeString(report.index(), page(title, header() + nav(body) + body));
        removeStaleCharts();
        return report.index();
    }

    // ----------------------------------------------------------------------------------------- sweep

    private void sweepBody(StringBuilder b) {
        Optional<CsvTable> board = csv(layout.leaderboardCsv());
        int chosen = board.map(ReportWriter::chosenRow).orElse(-1);
        String metric = metricName(board);
        Optional<JsonNode> test = json(layout.best().testMetricsJson());
        Optional<JsonNode> bestParams = json(layout.best().paramsJson());
        Optional<JsonNode> diagnosis = json(layout.diagnosisJson());

        b.append("<section id=\"summary\"><h2>Summary</h2>\n");
        runFacts(b);
        b.append("<h3>Chosen point</h3>\n");
        if (chosen >= 0) {
            CsvTable t = board.get();
            b.append("<table class=\"kv\">\n");
            kv(b, "grid values", "<span id=\"chosen-point-label\">" + esc(t.text(chosen, "label")) + "</span>");
            kv(b, "point id", "<code id=\"chosen-point-id\">" + esc(t.text(chosen, "point_id")) + "</code>");
            bestParams.ifPresent(p -> kv(b, "why", esc(p.path("reason").asText())));
            kv(b, "cross-validation " + esc(metric), esc(stat(t.number(chosen, metric + "_mean"),
                    t.number(chosen, metric + "_std"))) + " over " + esc(t.text(chosen, "ok_folds")) + " folds");
            kv(b, "J_train / J_cv (data loss)", esc(stat(t.number(chosen, "j_train_mean"), t.number(chosen, "j_train_std")))
                    + " / " + esc(stat(t.number(chosen, "j_cv_mean"), t.number(chosen, "j_cv_std"))));
            bestParams.filter(p -> p.has("parameters"))
                    .ifPresent(p -> kv(b, "parameters", esc(p.path("parameters").asText())));
            b.append("</table>\n");
        } else {
            b.append("<p class=\"missing\">No point chosen yet (leaderboard.csv is not written until every grid "
                    + "trial has finished).</p>\n");
        }
        b.append("<h3>Test set</h3>\n");
        if (test.isPresent()) {
            JsonNode t = test.get();
            b.append("<p>Read once, after selection and the refit on all training data; it took no part in "
                    + "choosing anything.</p>\n<table class=\"kv\">\n");
            kv(b, "accuracy", "<span id=\"test-accuracy\" data-value=\"" + raw(t.path("accuracy").asDouble(Double.NaN))
                    + "\">" + num(t.path("accuracy").asDouble(Double.NaN), 4) + "</span>");
            kv(b, "loss (cross-entropy)", num(t.path("loss").asDouble(Double.NaN), 4));
            kv(b, "macro F1", num(t.path("f1Macro").asDouble(Double.NaN), 4));
            kv(b, "images", esc(t.path("count").asText()));
            b.append("</table>\n");
        } else {
            b.append("<p class=\"missing\">No test evaluation (best/test-metrics.json is written after the refit).</p>\n");
        }
        classCounts(b, "test images", test);
        b.append("</section>\n");

        leaderboard(b, board, chosen, metric);
        String chosenId = chosen >= 0 ? board.get().text(chosen, "point_id") : null;
        validationCurves(b, chosenId);
        learningCurves(b, chosenId);
        sweepEpochs(b, chosenId);
        diagnosis(b, diagnosis);
        b.append("<section id=\"test\"><h2>Test evaluation</h2>\n");
        if (test.isPresent()) {
            evaluation(b, test.get(), "Test set: confusion matrix of the refit model");
            b.append("<p>Files: <a href=\"../best/test-metrics.json\">test-metrics.json</a>, "
                    + "<a href=\"../best/confusion.csv\">confusion.csv</a>, <a href=\"../best/model.zip\">model.zip</a>"
                    + "</p>\n");
        } else {
            b.append("<p class=\"missing\">Not evaluated yet.</p>\n");
        }
        b.append("</section>\n");
        augmentation(b);
        trials(b);
        provenance(b);
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

    /** The selection metric's column prefix: from the config, else the column before {@code best}. */
    private String metricName(Optional<CsvTable> board) {
        if (config.isPresent()) {
            return config.get().sweep().metric().configName();
        }
        return board.filter(t -> t.header().size() > 2)
                .map(t -> t.header().get(t.header().size() - 3).replaceAll("_mean$", "")).orElse("accuracy");
    }

    private void leaderboard(StringBuilder b, Optional<CsvTable> board, int chosen, String metric) {
        b.append("<section id=\"leaderboard\"><h2>Leaderboard</h2>\n");
        if (board.isEmpty()) {
            b.append("<p class=\"missing\">leaderboard.csv not written yet.</p></section>\n");
            return;
        }
        CsvTable t = board.get();
        List<String> keys = t.header().subList(t.header().indexOf("label") + 1, t.header().indexOf("ok_folds"));
        boolean higher = config.map(c -> c.sweep().metric().higherIsBetter()).orElse(!metric.equals("loss"));
        b.append("<p>Per grid point: mean ± sample standard deviation over the cross-validation folds. J is the "
                + "data loss (cross-entropy without the L2 term), error is 1 − accuracy. The chosen row is "
                + "highlighted; click a column header to sort.</p>\n");
        b.append("<div class=\"scroll\"><table class=\"sortable data\" id=\"leaderboard-table\"><thead><tr><th>#</th>"
                + "<th>point</th>");
        keys.forEach(k -> b.append("<th>").append(esc(k)).append("</th>"));
        b.append("<th>folds</th><th>J_train</th><th>J_cv</th><th>train error</th><th>CV error</th><th>")
                .append(esc(metric)).append(higher ? " ↑" : " ↓").append("</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < t.size(); i++) {
            b.append(i == chosen ? "<tr class=\"chosen\" title=\"chosen\">" : "<tr>");
            cell(b, t.text(i, "index"), (i == chosen ? "★ " : "") + t.text(i, "index"));
            cellHtml(b, t.text(i, "point_id"), "<code>" + esc(t.text(i, "point_id")) + "</code>");
            for (String k : keys) {
                cell(b, t.text(i, k), t.text(i, k));
            }
            String failed = t.text(i, "failed_folds");
            cell(b, t.text(i, "ok_folds"), t.text(i, "ok_folds") + ("0".equals(failed) ? "" : " (" + failed + " failed)"));
            for (String q : List.of("j_train", "j_cv", "train_error", "cv_error", metric)) {
                double mean = t.number(i, q + "_mean");
                double std = t.number(i, q + "_std");
                cellHtml(b, raw(mean), num(mean, 4) + (Double.isFinite(std)
                        ? " <span class=\"sd\">± " + num(std, 4) + "</span>" : ""));
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table></div>\n<p>File: <a href=\"../leaderboard.csv\">leaderboard.csv</a></p></section>\n");
    }

    /** A table cell showing {@code text} (escaped), sorted by {@code sortKey}. */
    private static void cell(StringBuilder b, String sortKey, String text) {
        cellHtml(b, sortKey, esc(text));
    }

    private static void cellHtml(StringBuilder b, String sortKey, String html) {
        b.append("<td data-sort=\"").append(esc(sortKey)).append("\">").append(html).append("</td>");
    }

    private void validationCurves(StringBuilder b, String chosenId) {
        b.append("<section id=\"validation-curves\"><h2>Validation curves</h2>\n");
        Optional<CsvTable> curve = csv(layout.validationCurveCsv());
        if (curve.isEmpty() || curve.get().size() == 0) {
            b.append("<p class=\"missing\">validation-curve.csv not written yet.</p></section>\n");
            return;
        }
        CsvTable t = curve.get();
        Map<String, List<Integer>> byArch = groups(t, "architecture");
        boolean log = true;
        for (int i = 0; i < t.size(); i++) {
            log &= t.number(i, "l2") > 0;
        }
        b.append("<p>J_train and J_cv (data loss, mean over folds; band ± 1 standard deviation) against λ (train.l2)"
                + (log ? " on a log axis" : " (linear axis: a λ of 0 has no logarithm)")
                + ", one chart per architecture; other grid keys are held at the chosen point's values.</p>\n");
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : byArch.entrySet()) {
            List<Integer> rows = e.getValue();
            double[] l2 = column(t, rows, "l2");
            String chosenNote = "";
            for (int r : rows) {
                if (t.text(r, "point_id").equals(chosenId)) {
                    chosenNote = "; chosen: λ = " + t.text(r, "l2");
                }
            }
            JFreeChart c = Charts.lines("Validation curve: " + e.getKey(), "λ (train.l2)", "data loss (cross-entropy)",
                    log ? Charts.XAxis.LOG : Charts.XAxis.LINEAR, List.of(
                            Charts.Series.band("J_train", l2, column(t, rows, "j_train_mean"),
                                    column(t, rows, "j_train_std"), Charts.TRAIN),
                            Charts.Series.band("J_cv", l2, column(t, rows, "j_cv_mean"),
                                    column(t, rows, "j_cv_std"), Charts.CV)));
            figure(b, report.validationCurve(k++), c, Charts.WIDTH, Charts.HEIGHT,
                    "Validation curve of " + e.getKey() + chosenNote);
        }
        b.append("<p>File: <a href=\"../validation-curve.csv\">validation-curve.csv</a></p></section>\n");
    }

    private void learningCurves(StringBuilder b, String chosenId) {
        b.append("<section id=\"learning-curves\"><h2>Learning curves</h2>\n");
        Optional<CsvTable> curve = csv(layout.learningCurveCsv());
        if (curve.isEmpty() || curve.get().size() == 0) {
            b.append("<p class=\"missing\">No learning curve (learningCurve.fractions is empty, or the curve trials "
                    + "have not finished).</p></section>\n");
            return;
        }
        CsvTable t = curve.get();
        OptionalDouble baseline = config.map(c -> c.diagnosis().baselineError()).orElse(OptionalDouble.empty());
        b.append("<p>J_train and J_cv as the training set grows: each size is a stratified subsample of every fold's "
                + "training part, k-fold at each size; points are means over folds, bands ± 1 standard deviation. "
                + "The first chart shows error rates (1 − accuracy)"
                + (baseline.isPresent() ? ", with the baseline error (diagnosis.baselineError, also an error rate) "
                + "as a dashed line" : "; no baseline error is configured (diagnosis.baselineError)")
                + "; the second the data losses.</p>\n");
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : groups(t, "point_id").entrySet()) {
            List<Integer> rows = e.getValue();
            String label = t.text(rows.get(0), "label");
            String which = e.getKey().equals(chosenId) ? "chosen point " : "point ";
            double[] size = column(t, rows, "train_size");
            List<Charts.Series> errors = new ArrayList<>(List.of(
                    Charts.Series.band("training error", size, column(t, rows, "train_error_mean"),
                            column(t, rows, "train_error_std"), Charts.TRAIN),
                    Charts.Series.band("cross-validation error", size, column(t, rows, "cv_error_mean"),
                            column(t, rows, "cv_error_std"), Charts.CV)));
            if (baseline.isPresent()) {
                double lo = java.util.Arrays.stream(size).filter(Double::isFinite).min().orElse(0);
                double hi = java.util.Arrays.stream(size).filter(Double::isFinite).max().orElse(1);
                double v = baseline.getAsDouble();
                errors.add(Charts.Series.line("baseline error", new double[] {lo, hi}, new double[] {v, v},
                        Charts.BASELINE, true));
            }
            figure(b, report.learningCurveError(k), Charts.lines("Learning curve (error rate): " + label,
                    "training-set size (images)", "error rate (1 − accuracy)", Charts.XAxis.LINEAR, errors),
                    Charts.WIDTH, Charts.HEIGHT, "Learning curve of " + which + e.getKey() + " (" + label + "), error rates");
            figure(b, report.learningCurveLoss(k), Charts.lines("Learning curve (data loss): " + label,
                    "training-set size (images)", "data loss (cross-entropy)", Charts.XAxis.LINEAR, List.of(
                            Charts.Series.band("J_train", size, column(t, rows, "j_train_mean"),
                                    column(t, rows, "j_train_std"), Charts.TRAIN),
                            Charts.Series.band("J_cv", size, column(t, rows, "j_cv_mean"),
                                    column(t, rows, "j_cv_std"), Charts.CV))),
                    Charts.WIDTH, Charts.HEIGHT, "Learning curve of " + which + e.getKey() + " (" + label + "), data losses");
            k++;
        }
        b.append("<p>File: <a href=\"../learning-curve.csv\">learning-curve.csv</a></p></section>\n");
    }

    private void sweepEpochs(StringBuilder b, String chosenId) {
        b.append("<section id=\"epochs\"><h2>Training per epoch</h2>\n");
        if (chosenId != null) {
            List<Charts.Series> series = new ArrayList<>();
            int folds = config.map(c -> c.sweep().folds()).orElse(0);
            for (int f = 0; f < folds; f++) {
                Path csv = layout.trial(new TrialId(chosenId, f, 1.0).value()).curveCsv();
                Optional<List<EpochStats>> curve = text(csv).map(EpochStats::fromCsv);
                if (curve.isPresent()) {
                    Color color = Charts.PALETTE[f % Charts.PALETTE.length];
                    double[] epochs = curve.get().stream().mapToDouble(EpochStats::epoch).toArray();
                    series.add(Charts.Series.line("fold " + f + " J_train", epochs,
                            curve.get().stream().mapToDouble(EpochStats::trainDataLoss).toArray(), color, false));
                    series.add(Charts.Series.line("fold " + f + " J_cv", epochs,
                            curve.get().stream().mapToDouble(EpochStats::validationLoss).toArray(), color, true));
                }
            }
            if (!series.isEmpty()) {
                figure(b, report.foldEpochs(), Charts.lines("Chosen point, per fold: loss per epoch", "epoch",
                        "data loss (cross-entropy)", Charts.XAxis.INTEGER, series), Charts.WIDTH, Charts.HEIGHT + 60,
                        "The chosen point's cross-validation trials: J_train (solid) on the fold's training part and "
                                + "J_cv (dashed) on the held-out fold, after each epoch");
            }
        }
        Optional<List<EpochStats>> refit = text(layout.best().curveCsv()).map(EpochStats::fromCsv);
        if (refit.isPresent()) {
            epochLosses(b, refit.get(), "Refit on all training data: loss per epoch",
                    "The refit of the chosen point on all training data (no validation set: the test set is not "
                            + "looked at during training)");
        }
        if (chosenId == null && refit.isEmpty()) {
            b.append("<p class=\"missing\">No per-epoch curves yet.</p>\n");
        }
        b.append("</section>\n");
    }

    /** Losses per epoch of one network: J_train, the objective with the L2 term, and J_cv if validated. */
    private void epochLosses(StringBuilder b, List<EpochStats> curve, String title, String caption) {
        double[] epochs = curve.stream().mapToDouble(EpochStats::epoch).toArray();
        List<Charts.Series> series = new ArrayList<>(List.of(
                Charts.Series.line("J_train (data loss)", epochs,
                        curve.stream().mapToDouble(EpochStats::trainDataLoss).toArray(), Charts.TRAIN, false),
                Charts.Series.line("training objective (data loss + L2 term)", epochs,
                        curve.stream().mapToDouble(EpochStats::trainLoss).toArray(), Charts.BASELINE, true)));
        double[] validation = curve.stream().mapToDouble(EpochStats::validationLoss).toArray();
        if (java.util.Arrays.stream(validation).anyMatch(Double::isFinite)) {
            series.add(Charts.Series.line("J_cv (validation data loss)", epochs, validation, Charts.CV, false));
        }
        figure(b, report.refitEpochs(), Charts.lines(title, "epoch", "loss (cross-entropy)", Charts.XAxis.INTEGER,
                series), Charts.WIDTH, Charts.HEIGHT, caption);
    }

    private void diagnosis(StringBuilder b, Optional<JsonNode> diagnosis) {
        b.append("<section id=\"diagnosis\"><h2>Bias / variance diagnosis</h2>\n");
        if (diagnosis.isEmpty()) {
            b.append("<p class=\"missing\">diagnosis.json not written yet.</p></section>\n");
            return;
        }
        JsonNode d = diagnosis.get();
        String verdict = switch (d.path("verdict").asText()) {
            case "HIGH_BIAS" -> "high bias";
            case "HIGH_VARIANCE" -> "high variance";
            case "BOTH" -> "high bias and high variance";
            case "NEITHER" -> "neither high bias nor high variance";
            default -> d.path("verdict").asText();
        };
        double trainError = d.path("train_error").asDouble(Double.NaN);
        double cvError = d.path("cv_error").asDouble(Double.NaN);
        b.append("<p class=\"verdict\" id=\"verdict\">Verdict for ").append(esc(d.path("label").asText()))
                .append(": <strong>").append(esc(verdict)).append("</strong></p>\n<ul>\n");
        b.append("<li>Training error ").append(num(trainError, 4)).append(" and cross-validation error ")
                .append(num(cvError, 4)).append(" (error rates, 1 − accuracy, means over folds); J_train ")
                .append(num(d.path("j_train").asDouble(Double.NaN), 4)).append(" and J_cv ")
                .append(num(d.path("j_cv").asDouble(Double.NaN), 4)).append(" (data losses).</li>\n");
        if (d.path("baseline_known").asBoolean()) {
            boolean high = d.path("high_bias").asBoolean();
            b.append("<li>Bias: training error − baseline error = ").append(num(trainError, 4)).append(" − ")
                    .append(num(d.path("baseline_error").asDouble(), 4)).append(" = ")
                    .append(num(d.path("bias_gap").asDouble(), 4)).append(high ? ", above" : ", not above")
                    .append(" the threshold ").append(num(d.path("bias_threshold").asDouble(), 4))
                    .append(" (diagnosis.biasThreshold): ").append(high ? "<strong>high bias</strong>" : "bias is fine")
                    .append(".</li>\n");
        } else {
            b.append("<li>Bias: not judged, the baseline error is unknown (set diagnosis.baselineError to "
                    + "human-level or a reference model's error).</li>\n");
        }
        boolean highVariance = d.path("high_variance").asBoolean();
        b.append("<li>Variance: cross-validation error − training error = ").append(num(cvError, 4)).append(" − ")
                .append(num(trainError, 4)).append(" = ").append(num(d.path("variance_gap").asDouble(), 4))
                .append(highVariance ? ", above" : ", not above").append(" the threshold ")
                .append(num(d.path("variance_threshold").asDouble(), 4)).append(" (diagnosis.varianceThreshold): ")
                .append(highVariance ? "<strong>high variance</strong>" : "variance is fine").append(".</li>\n");
        remedies(b, "For high bias, try", d.path("remedies_high_bias"));
        remedies(b, "For high variance, try", d.path("remedies_high_variance"));
        JsonNode lc = d.path("learning_curve");
        if (lc.isObject()) {
            b.append("<li>Learning curve: ").append(esc(lc.path("reading").asText())).append(".</li>\n");
        }
        for (JsonNode note : d.path("notes")) {
            b.append("<li class=\"note\">Note: ").append(esc(note.asText())).append(".</li>\n");
        }
        b.append("</ul>\n<p>File: <a href=\"../diagnosis.json\">diagnosis.json</a></p></section>\n");
    }

    private static void remedies(StringBuilder b, String lead, JsonNode list) {
        if (list.isArray() && !list.isEmpty()) {
            List<String> items = new ArrayList<>();
            list.forEach(n -> items.add(esc(n.asText())));
            b.append("<li>").append(lead).append(": ").append(String.join(", ", items)).append(".</li>\n");
        }
    }

    private void augmentation(StringBuilder b) {
        String preview = run.path("augmentPreview").asText("");
        Optional<String> href = relativeHref(preview);
        if (href.isEmpty() || !storage.exists(new Path(layout.runDir(), preview))) {
            return;
        }
        b.append("<section id=\"augmentation\"><h2>Augmentation preview</h2>\n<p>Training images and augmented copies "
                + "of them, as the training folds saw them (validation and test images are never augmented).</p>\n"
                + "<figure><img src=\"").append(esc(href.get())).append("\" alt=\"augmentation preview\">"
                + "<figcaption>").append(esc(preview)).append("</figcaption></figure></section>\n");
    }

    /** A run-relative path as a link from report/: {@code ../path}, percent-encoded; empty if not relative. */
    static Optional<String> relativeHref(String runRelative) {
        if (runRelative.isBlank() || runRelative.startsWith("/") || runRelative.contains(":")
                || List.of(runRelative.split("/")).contains("..")) {
            return Optional.empty();
        }
        try {
            return Optional.of("../" + new URI(null, null, runRelative, null).getRawPath());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private void trials(StringBuilder b) {
        List<StoredTrials.Trial> all = StoredTrials.read(storage, layout);
        if (all.isEmpty()) {
            return;
        }
        long done = all.stream().filter(t -> t.state() == StoredTrials.State.DONE).count();
        List<StoredTrials.Trial> failed = all.stream().filter(t -> t.state() == StoredTrials.State.FAILED).toList();
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

    // ----------------------------------------------------------------------------------------- train

    private void trainBody(StringBuilder b) {
        Optional<JsonNode> metrics = json(layout.metricsJson());
        JsonNode validation = metrics.map(m -> m.path("validation")).orElse(null);
        b.append("<section id=\"summary\"><h2>Summary</h2>\n");
        runFacts(b);
        config.ifPresent(c -> {
            b.append("<h3>Network</h3>\n<table class=\"kv\">\n");
            kv(b, "architecture", esc(c.train().architecture().describe()));
            kv(b, "λ (train.l2)", esc(c.train().l2()));
            kv(b, "updater", esc(c.train().updater().name().toLowerCase(java.util.Locale.ROOT)) + ", learning rate "
                    + esc(c.train().learningRate()));
            kv(b, "epochs × batch size", c.train().epochs() + " × " + c.train().batchSize());
            b.append("</table>\n");
        });
        b.append("<h3>Final metrics</h3>\n");
        if (metrics.isPresent()) {
            b.append("<table class=\"data\"><thead><tr><th>set</th><th>images</th><th>accuracy</th><th>error</th>"
                    + "<th>loss (data)</th><th>macro F1</th></tr></thead><tbody>\n");
            for (String set : List.of("train", "validation")) {
                JsonNode e = metrics.get().path(set);
                if (e.isObject()) {
                    b.append("<tr><td>").append(set).append("</td><td>").append(esc(e.path("count").asText()))
                            .append("</td><td id=\"").append(set).append("-accuracy\" data-value=\"")
                            .append(raw(e.path("accuracy").asDouble(Double.NaN))).append("\">")
                            .append(num(e.path("accuracy").asDouble(Double.NaN), 4)).append("</td><td>")
                            .append(num(e.path("error").asDouble(Double.NaN), 4)).append("</td><td>")
                            .append(num(e.path("loss").asDouble(Double.NaN), 4)).append("</td><td>")
                            .append(num(e.path("f1Macro").asDouble(Double.NaN), 4)).append("</td></tr>\n");
                }
            }
            b.append("</tbody></table>\n<p>L2 term of the final objective: ")
                    .append(num(metrics.get().path("penalty").asDouble(Double.NaN), 4)).append(".</p>\n");
        } else {
            b.append("<p class=\"missing\">metrics.json not written (the run did not finish training).</p>\n");
        }
        classCounts(b, "validation images", Optional.ofNullable(validation));
        b.append("</section>\n");

        b.append("<section id=\"epochs\"><h2>Training per epoch</h2>\n");
        Optional<List<EpochStats>> curve = text(layout.curveCsv()).map(EpochStats::fromCsv);
        if (curve.isPresent() && !curve.get().isEmpty()) {
            List<EpochStats> c = curve.get();
            epochLosses(b, c, "Loss per epoch", "J_train on the training split and J_cv on the validation split "
                    + "(data losses), and the objective the optimiser minimised (with the L2 term)");
            double[] epochs = c.stream().mapToDouble(EpochStats::epoch).toArray();
            figure(b, report.trainAccuracy(), Charts.lines("Accuracy per epoch", "epoch", "accuracy",
                    Charts.XAxis.INTEGER, List.of(
                            Charts.Series.line("training accuracy", epochs,
                                    c.stream().mapToDouble(EpochStats::trainAccuracy).toArray(), Charts.TRAIN, false),
                            Charts.Series.line("validation accuracy", epochs,
                                    c.stream().mapToDouble(EpochStats::validationAccuracy).toArray(), Charts.CV, false))),
                    Charts.WIDTH, Charts.HEIGHT, "Accuracy on the training and validation splits after each epoch");
        } else {
            b.append("<p class=\"missing\">curve.csv not written.</p>\n");
        }
        b.append("</section>\n");
        b.append("<section id=\"validation\"><h2>Validation evaluation</h2>\n");
        if (validation != null && validation.isObject()) {
            evaluation(b, validation, "Validation split: confusion matrix");
        } else {
            b.append("<p class=\"missing\">No validation metrics.</p>\n");
        }
        b.append("</section>\n");
        provenance(b);
    }

    // ---------------------------------------------------------------------------------------- shared

    /** Status line, and the failure and config problems if any. */
    private String header() {
        StringBuilder b = new StringBuilder();
        String status = run.path("status").asText("unknown");
        b.append("<p class=\"status status-").append(esc(status)).append("\">status: <strong>").append(esc(status))
                .append("</strong>");
        if (run.has("seconds")) {
            b.append(" · run time ").append(esc(Progress.clock(run.path("seconds").asDouble())));
        }
        b.append("</p>\n");
        if (run.hasNonNull("error")) {
            b.append("<div class=\"error\"><strong>The run failed:</strong> <pre>").append(esc(run.path("error").asText()))
                    .append("</pre></div>\n");
        }
        if (configProblem != null) {
            b.append("<div class=\"error\">The stored config could not be read (").append(esc(configProblem))
                    .append("); sections that need it are left out.</div>\n");
        }
        return b.toString();
    }

    /** Links to the sections the body has. */
    private static String nav(CharSequence body) {
        StringBuilder b = new StringBuilder("<nav>");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<section id=\"([a-z-]+)\">").matcher(body);
        while (m.find()) {
            b.append("<a href=\"#").append(m.group(1)).append("\">").append(m.group(1).replace('-', ' '))
                    .append("</a> ");
        }
        return b.append("</nav>\n").toString();
    }

    private void runFacts(StringBuilder b) {
        JsonNode p = run.path("provenance");
        JsonNode data = run.path("data");
        b.append("<table class=\"kv\">\n");
        kv(b, "run", esc(run.path("runId").asText()) + " (" + esc(run.path("command").asText()) + ")");
        kv(b, "status", esc(run.path("status").asText()));
        kv(b, "started", esc(p.path("started").asText()));
        if (run.has("finished")) {
            kv(b, "finished", esc(run.path("finished").asText()) + " (run time "
                    + esc(Progress.clock(run.path("seconds").asDouble())) + ")");
        }
        config.ifPresent(c -> {
            kv(b, "training data", "<code>" + esc(c.data().train()) + "</code> (" + esc(c.data().format().name()
                    .toLowerCase(java.util.Locale.ROOT)) + ", " + esc(c.data().shape()) + ")");
            if ("sweep".equals(run.path("command").asText())) {
                kv(b, "test data", c.data().test().map(t -> "<code>" + esc(t) + "</code>")
                        .orElse("held out: " + esc(c.data().testFraction()) + " of the training data"));
                kv(b, "selection", esc(c.sweep().folds()) + "-fold cross-validation by mean "
                        + esc(c.sweep().metric().configName()) + ", sweep.seed " + esc(c.sweep().seed()));
            }
        });
        if (data.isObject()) {
            long count = data.has("trainCount") ? data.path("trainCount").asLong() : data.path("count").asLong();
            kv(b, "training images", count + (data.path("droppedInvalid").asLong() > 0
                    ? " (" + data.path("droppedInvalid").asLong() + " unreadable files skipped)" : ""));
            kv(b, "data fingerprint", "<code>" + esc(data.path("fingerprint").asText()) + "</code>");
        }
        b.append("</table>\n");
    }

    /** Class counts: training images from run.json, and the second column from an evaluation's support. */
    private void classCounts(StringBuilder b, String otherHeading, Optional<JsonNode> evaluation) {
        JsonNode data = run.path("data");
        Map<String, String[]> rows = new LinkedHashMap<>();
        data.path("labels").forEach(l -> rows.put(l.asText(), new String[] {"", ""}));
        data.path("classCounts").fields().forEachRemaining(e ->
                rows.computeIfAbsent(e.getKey(), k -> new String[] {"", ""})[0] = e.getValue().asText());
        evaluation.ifPresent(e -> e.path("perClass").forEach(c ->
                rows.computeIfAbsent(c.path("label").asText(), k -> new String[] {"", ""})[1] =
                        c.path("support").asText()));
        if (rows.isEmpty()) {
            return;
        }
        b.append("<h3>Data: images per class</h3>\n<table class=\"data\" id=\"class-counts\"><thead><tr><th>class</th>"
                + "<th>training images</th><th>").append(esc(otherHeading)).append("</th></tr></thead><tbody>\n");
        rows.forEach((label, counts) -> b.append("<tr><td>").append(esc(label)).append("</td><td>")
                .append(esc(counts[0])).append("</td><td>").append(esc(counts[1])).append("</td></tr>\n"));
        b.append("</tbody></table>\n");
    }

    /** Accuracy line, confusion heat map and per-class table of an {@link io.foldwise.train.Evaluation} JSON. */
    private void evaluation(StringBuilder b, JsonNode e, String title) {
        List<String> labels = new ArrayList<>();
        e.path("perClass").forEach(c -> labels.add(c.path("label").asText()));
        int n = labels.size();
        long[][] confusion = new long[n][n];
        JsonNode m = e.path("confusion");
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                confusion[a][p] = m.path(a).path(p).asLong();
            }
        }
        b.append("<p>Accuracy ").append(num(e.path("accuracy").asDouble(Double.NaN), 4)).append(", macro F1 ")
                .append(num(e.path("f1Macro").asDouble(Double.NaN), 4)).append(", loss ")
                .append(num(e.path("loss").asDouble(Double.NaN), 4)).append(" on ").append(esc(e.path("count").asText()))
                .append(" images.</p>\n");
        if (n > 0) {
            int size = Math.max(480, Math.min(1000, 160 + 44 * n));
            figure(b, report.confusion(), Charts.confusion(title, labels, confusion), size, size + 60,
                    "Confusion matrix: rows are actual classes, columns predicted ones; colour is the share of the "
                            + "actual class, numbers are counts");
        }
        b.append("<table class=\"sortable data\" id=\"per-class\"><thead><tr><th>class</th><th>precision</th>"
                + "<th>recall</th><th>F1</th><th>support</th></tr></thead><tbody>\n");
        for (JsonNode c : e.path("perClass")) {
            b.append("<tr>");
            cell(b, c.path("label").asText(), c.path("label").asText());
            for (String q : List.of("precision", "recall", "f1")) {
                double v = c.path(q).asDouble(Double.NaN);
                cell(b, raw(v), num(v, 4));
            }
            cell(b, c.path("support").asText(), c.path("support").asText());
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    private void provenance(StringBuilder b) {
        JsonNode p = run.path("provenance");
        b.append("<section id=\"provenance\"><h2>Provenance</h2>\n<table class=\"kv\">\n");
        kv(b, "Java / Spark / DL4J", esc(p.path("java").asText()) + " / " + esc(p.path("spark").asText()) + " / "
                + esc(p.path("dl4j").asText()));
        kv(b, "git commit", "<code>" + esc(p.path("gitCommit").asText()) + "</code>");
        kv(b, "host / user", esc(p.path("host").asText()) + " / " + esc(p.path("user").asText()));
        kv(b, "run directory", "<code>" + esc(layout.runDir()) + "</code>");
        b.append("</table>\n<p>Files: <a href=\"../run.json\">run.json</a></p>\n");
        b.append("<details><summary>Resolved configuration</summary><pre id=\"config\">")
                .append(esc(Json.render(run.path("config")))).append("</pre></details>\n</section>\n");
    }

    private static void kv(StringBuilder b, String key, String html) {
        b.append("<tr><th>").append(key).append("</th><td>").append(html).append("</td></tr>\n");
    }

    /** Writes a chart's PNG and appends the figure that shows it. */
    private void figure(StringBuilder b, Path png, JFreeChart chart, int width, int height, String caption) {
        byte[] bytes = Charts.png(chart, width, height);
        storage.writeAtomically(png, out -> out.write(bytes));
        charts.add(png.getName());
        b.append("<figure><img src=\"").append(esc(RunLayout.ReportLayout.link(png))).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" alt=\"").append(esc(caption))
                .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    /** Deletes charts of an earlier rendering that this one did not draw (e.g. fewer architectures). */
    private void removeStaleCharts() {
        for (String name : storage.list(report.dir())) {
            if (RunLayout.ReportLayout.isChart(name) && !charts.contains(name)) {
                storage.delete(new Path(report.dir(), name));
            }
        }
    }

    private static Map<String, List<Integer>> groups(CsvTable t, String column) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            out.computeIfAbsent(t.text(i, column), k -> new ArrayList<>()).add(i);
        }
        return out;
    }

    private static double[] column(CsvTable t, List<Integer> rows, String column) {
        return rows.stream().mapToDouble(r -> t.number(r, column)).toArray();
    }

    private Optional<String> text(Path path) {
        return storage.exists(path) ? Optional.of(storage.readString(path)) : Optional.empty();
    }

    private Optional<JsonNode> json(Path path) {
        return text(path).map(Json::parse);
    }

    private Optional<CsvTable> csv(Path path) {
        return text(path).map(CsvTable::parse);
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + esc(title)
                + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<h1>" + esc(title) + "</h1>\n" + body
                + "<div id=\"image-check\" hidden></div>\n<script>\n" + SCRIPT + "</script>\n</body>\n</html>\n";
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto;
                   max-width: 1200px; padding: 0 1em; color: #222; line-height: 1.45; }
            h1 { font-size: 1.6em; margin-bottom: .2em; }
            h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
            nav a { margin-right: .8em; }
            table { border-collapse: collapse; margin: .6em 0; }
            th, td { padding: .25em .6em; text-align: left; vertical-align: top; }
            table.data td, table.data th { border-bottom: 1px solid #e5e5e5; }
            table.data { font-size: .94em; }
            .sd { color: #666; font-size: .9em; }
            table.data td[data-sort] { font-variant-numeric: tabular-nums; white-space: nowrap; }
            table.kv th { font-weight: 600; color: #555; white-space: nowrap; }
            table.sortable th { cursor: pointer; user-select: none; background: #f5f5f5; }
            table.sortable th[data-dir="asc"]::after { content: " ▲"; }
            table.sortable th[data-dir="desc"]::after { content: " ▼"; }
            tr.chosen td { background: #fff3c4; font-weight: 600; }
            .scroll { overflow-x: auto; }
            figure { margin: 1em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { color: #555; font-size: .92em; }
            .status-finished strong { color: #1a7f37; }
            .status-failed strong, .error strong { color: #b42318; }
            .error { background: #fdecea; border: 1px solid #f5c2c0; padding: .6em 1em; }
            .error pre { white-space: pre-wrap; margin: .3em 0 0; }
            .missing { color: #777; font-style: italic; }
            .verdict { font-size: 1.1em; }
            pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
            code { font-size: .92em; }
            """;

    /** Sortable tables, and a record of every image's natural width (a browser test reads it from the DOM). */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable').forEach(function (table) {
              var heads = table.tHead.rows[0].cells;
              Array.prototype.forEach.call(heads, function (th, col) {
                th.addEventListener('click', function () {
                  var asc = th.getAttribute('data-dir') !== 'asc';
                  Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
                  th.setAttribute('data-dir', asc ? 'asc' : 'desc');
                  var body = table.tBodies[0];
                  var rows = Array.prototype.slice.call(body.rows);
                  rows.sort(function (a, b) {
                    var x = a.cells[col].getAttribute('data-sort'), y = b.cells[col].getAttribute('data-sort');
                    var nx = parseFloat(x), ny = parseFloat(y);
                    var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : String(x).localeCompare(String(y));
                    return asc ? r : -r;
                  });
                  rows.forEach(function (r) { body.appendChild(r); });
                });
              });
            });
            window.addEventListener('load', function () {
              var images = document.images, broken = 0;
              for (var i = 0; i < images.length; i++) {
                images[i].setAttribute('data-natural-width', String(images[i].naturalWidth));
                if (!images[i].complete || images[i].naturalWidth === 0) { broken++; }
              }
              var check = document.getElementById('image-check');
              check.setAttribute('data-images', String(images.length));
              check.setAttribute('data-broken', String(broken));
            });
            """;
}
