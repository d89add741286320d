package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.job.TrainJob;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTML report of a real small sweep (and of a train run), read back from disk. */
class ReportWriterTest {
    static SmallSweep.Run run;
    static Path reportDir;
    static String html;

    @BeforeAll
    static void sweep() throws IOException {
        run = SmallSweep.get();
        reportDir = run.dir().resolve("report");
        html = Files.readString(reportDir.resolve("index.html"));
    }

    /** The src of every img element, in page order. */
    static List<String> imageSources(String page) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Asserts that every image the page links is a readable PNG of a real chart's size. */
    static void assertChartsArePngs(Path dir, String page) throws IOException {
        List<String> sources = imageSources(page);
        assertThat(sources).isNotEmpty();
        for (String src : sources) {
            assertThat(src).as("relative link").doesNotContain(":").doesNotStartWith("/");
            Path png = dir.resolve(src);
            assertThat(png).as(src).exists();
            if (src.startsWith("../best/thumbnails/")) {
                // error-analysis thumbnails: small by design, the image at twice its size
                BufferedImage thumb = ImageIO.read(png.toFile());
                assertThat(thumb).as(src + " decodes as an image").isNotNull();
                assertThat(thumb.getWidth()).isBetween(2, 400);
                continue;
            }
            assertThat(Files.size(png)).as(src + " size").isGreaterThan(5_000);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(src + " decodes as an image").isNotNull();
            assertThat(image.getWidth()).isGreaterThan(300);
            assertThat(image.getHeight()).isGreaterThan(300);
        }
    }

    @Test
    void everyChartTheReportLinksIsAValidPng() throws IOException {
        assertChartsArePngs(reportDir, html);
        RunLayout.ReportLayout report = run.layout().report();
        // one chart of each kind the sweep's stored results call for
        assertThat(imageSources(html)).contains(RunLayout.ReportLayout.link(report.validationCurve(0)),
                RunLayout.ReportLayout.link(report.learningCurveError(0)),
                RunLayout.ReportLayout.link(report.learningCurveLoss(0)),
                RunLayout.ReportLayout.link(report.foldEpochs()), RunLayout.ReportLayout.link(report.refitEpochs()),
                RunLayout.ReportLayout.link(report.confusion()));
    }

    @Test
    void chosenPointAndTestAccuracyAreThoseOfTheStoredResults() throws IOException {
        CsvTable board = CsvTable.parse(Files.readString(run.dir().resolve("leaderboard.csv")));
        int chosen = -1;
        for (int i = 0; i < board.size(); i++) {
            if (board.text(i, "best").equals("true")) {
                chosen = i;
            }
        }
        assertThat(chosen).as("leaderboard.csv marks a chosen row").isNotNegative();
        assertThat(html).contains("<code id=\"chosen-point-id\">" + board.text(chosen, "point_id") + "</code>")
                .contains("<span id=\"chosen-point-label\">" + Html.esc(board.text(chosen, "label")) + "</span>");
        assertThat(board.text(chosen, "point_id")).isEqualTo(run.result().selection().point().id());

        JsonNode test = Json.parse(Files.readString(run.dir().resolve("best/test-metrics.json")));
        Matcher m = Pattern.compile("<span id=\"test-accuracy\" data-value=\"([^\"]*)\">([^<]*)</span>").matcher(html);
        assertThat(m.find()).as("test accuracy shown").isTrue();
        assertThat(Double.parseDouble(m.group(1))).isEqualTo(test.path("accuracy").asDouble());
        assertThat(m.group(2)).isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", test.path("accuracy").asDouble()));
        // the chosen leaderboard row is the highlighted one
        Matcher row = Pattern.compile("<tr class=\"chosen\"[^>]*>(.*?)</tr>").matcher(html);
        assertThat(row.find()).isTrue();
        assertThat(row.group(1)).contains(board.text(chosen, "point_id"));
    }

    @Test
    void stringsFromConfigAndDataAreEscaped() {
        assertThat(run.config().data().train()).contains("<script>");
        assertThat(html).contains(Html.esc(SmallSweep.SCRIPT_NAME)).doesNotContain(SmallSweep.SCRIPT_NAME);
        // the only script elements are the report's own
        assertThat(html.split("<script", -1)).hasSize(2);
    }

    @Test
    void diagnosisIsInWordsWithItsNumbers() throws IOException {
        JsonNode d = Json.parse(Files.readString(run.dir().resolve("diagnosis.json")));
        assertThat(html).contains("id=\"verdict\"")
                .contains(String.format(java.util.Locale.ROOT, "%.4f", d.path("varianceGap").asDouble()))
                .contains(String.format(java.util.Locale.ROOT, "%.4f", d.path("biasGap").asDouble()))
                .contains(String.format(java.util.Locale.ROOT, "%.4f", d.path("baselineError").asDouble()));
        // the sentences are the diagnosis's own, as the sweep printed them
        for (String finding : run.result().diagnosis().findings()) {
            assertThat(html).contains("<li>" + Html.esc(finding) + "</li>");
        }
    }

    @Test
    void aRunWrittenBeforeTheCamelCaseConventionStillRenders() throws IOException {
        // run.json without formatVersion and diagnosis.json with the snake_case names earlier runs wrote
        Path copy = run.copy("old-format", r -> r.remove("formatVersion"));
        com.fasterxml.jackson.databind.node.ObjectNode d = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.parse(Files.readString(copy.resolve("diagnosis.json")));
        com.fasterxml.jackson.databind.node.ObjectNode old = Json.object();
        d.fields().forEachRemaining(e -> old.set(snake(e.getKey()), e.getValue()));
        old.set("remedies_high_bias", old.remove("bias_remedies"));
        old.set("remedies_high_variance", old.remove("variance_remedies"));
        if (old.path("learning_curve").isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode curve = Json.object();
            old.path("learning_curve").fields().forEachRemaining(e -> curve.set(snake(e.getKey()), e.getValue()));
            old.set("learning_curve", curve);
        }
        assertThat(old.has("variance_gap")).isTrue();
        assertThat(old.has("varianceGap")).isFalse();
        Files.writeString(copy.resolve("diagnosis.json"), Json.render(old));
        Files.deleteIfExists(copy.resolve(".diagnosis.json.crc"));

        String page = Files.readString(Path.of(ReportWriter.write(run.storage(),
                new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri()))).toUri()));
        assertThat(page).contains("id=\"verdict\"")
                .contains(String.format(java.util.Locale.ROOT, "%.4f", old.path("variance_gap").asDouble()))
                .contains(String.format(java.util.Locale.ROOT, "%.4f", old.path("bias_gap").asDouble()));
        for (String finding : run.result().diagnosis().findings()) {
            assertThat(page).contains("<li>" + Html.esc(finding) + "</li>");
        }
        assertThat(RunStatus.read(run.storage(), new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri())))
                .finished()).isTrue();
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void perClassTableAndClassCountsCoverEveryClass() throws IOException {
        JsonNode runJson = Json.parse(Files.readString(run.dir().resolve("run.json")));
        JsonNode counts = runJson.path("data").path("classCounts");
        assertThat(counts.size()).isEqualTo(runJson.path("data").path("labels").size()).isPositive();
        String classTable = html.substring(html.indexOf("id=\"class-counts\""));
        counts.fields().forEachRemaining(e -> assertThat(classTable)
                .contains("<tr><td>" + e.getKey() + "</td><td>" + e.getValue().asText() + "</td>"));
        String perClass = html.substring(html.indexOf("id=\"per-class\""));
        JsonNode test = Json.parse(Files.readString(run.dir().resolve("best/test-metrics.json")));
        for (JsonNode c : test.path("perClass")) {
            assertThat(perClass).contains(String.format(java.util.Locale.ROOT, ">%.4f<", c.path("f1").asDouble()));
        }
    }

    @Test
    void reportCommandRerendersTheSamePageFromStoredFilesAndDropsStaleCharts() throws IOException {
        Path copy = run.copy("rerender", r -> { });
        SmallSweep.deleteTree(copy.resolve("report"));
        Files.createDirectories(copy.resolve("report"));
        Files.write(copy.resolve("report/validation-curve-9.png"), new byte[] {1, 2, 3});

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(out, new ByteArrayOutputStream(), "report", copy.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("index.html");
        String again = Files.readString(copy.resolve("report/index.html"));
        assertThat(again).isEqualTo(html.replace(run.layout().runDir().toString(),
                run.storage().qualify(new org.apache.hadoop.fs.Path(copy.toString())).toString()));
        assertChartsArePngs(copy.resolve("report"), again);
        assertThat(copy.resolve("report/validation-curve-9.png")).doesNotExist();
    }

    @Test
    void augmentationPreviewIsShownWhenRunJsonNamesOne() throws IOException {
        Path copy = run.copy("with-preview", r -> ((com.fasterxml.jackson.databind.node.ObjectNode) r.path("data"))
                .put("augmentPreview", "augment/preview.png"));
        Files.createDirectories(copy.resolve("augment"));
        Files.copy(reportDir.resolve("confusion.png"), copy.resolve("augment/preview.png"));
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "report",
                copy.toString())).isZero();
        String page = Files.readString(copy.resolve("report/index.html"));
        assertThat(page).contains("id=\"augmentation\"").contains("<img src=\"../augment/preview.png\"");
        assertThat(html).doesNotContain("id=\"augmentation\"");
        assertChartsArePngs(copy.resolve("report"), page);
    }

    @Test
    void aFailedRunGetsAReportOfWhatItStored() throws IOException {
        Path copy = run.copy("failed", r -> r.put("status", RunState.FAILED.json()).put("error", "<b>boom</b> in trial"));
        for (String gone : List.of("leaderboard.csv", "validation-curve.csv", "learning-curve.csv", "diagnosis.json",
                "best", "report")) {
            SmallSweep.deleteTree(copy.resolve(gone));
        }

        org.apache.hadoop.fs.Path index = ReportWriter.write(run.storage(),
                new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri())));
        String page = Files.readString(Path.of(index.toUri()));
        assertThat(page).contains("status-failed").contains("&lt;b&gt;boom&lt;/b&gt; in trial")
                .doesNotContain("<b>boom</b>").contains("leaderboard.csv not written yet")
                .doesNotContain("id=\"test-accuracy\"").contains("id=\"trials\"");
        assertThat(imageSources(page)).isEmpty();
    }

    @Test
    void reportAndStatusOfADirectoryThatIsNoRunAreUsageErrors() throws IOException {
        Path empty = Files.createDirectories(run.root().resolve("not-a-run"));
        for (String command : List.of("report", "status")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), err, command, empty.toString())).as(command).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a run directory").contains("run.json");
        }
    }

    @Test
    void aTrainRunGetsAReportWithItsCurvesAndValidationMetricsAndAStatus() throws IOException {
        Path output = run.root().resolve("train-runs");
        TrainJob.Result result = TrainJob.run(TestSpark.session(), ConfigLoader.load(null, List.of(
                "data.train=" + TestSpark.sample("train"), "run.output=" + output, "run.id=one",
                "train.architecture={mlp=[16]}", "train.epochs=2")), ReportWriter.afterRun(run.storage()));
        Path dir = Path.of(result.layout().runDir().toUri());
        String page = Files.readString(dir.resolve("report/index.html"));
        assertChartsArePngs(dir.resolve("report"), page);
        assertThat(imageSources(page)).contains("epochs-refit.png", "epochs-accuracy.png", "confusion.png");
        JsonNode metrics = Json.parse(Files.readString(dir.resolve("metrics.json")));
        Matcher m = Pattern.compile("id=\"validation-accuracy\" data-value=\"([^\"]*)\"").matcher(page);
        assertThat(m.find()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isEqualTo(metrics.path("validation").path("accuracy").asDouble());

        RunStatus status = RunStatus.read(run.storage(), result.layout());
        assertThat(status.finished()).isTrue();
        assertThat(status.command()).isEqualTo("train");
        assertThat(status.grid()).isEmpty();
        assertThat(status.lines()).contains("validation: " + String.format(java.util.Locale.ROOT,
                "accuracy %.4f, loss %.4f, macro F1 %.4f on %d images", metrics.path("validation").path("accuracy")
                        .asDouble(), metrics.path("validation").path("loss").asDouble(),
                metrics.path("validation").path("f1Macro").asDouble(), metrics.path("validation").path("count").asLong()));
    }

    @Test
    void leaderboardExplainsThePValueAndFlagsAChoiceNotSignificantlyBetterThanTheRunnerUp() throws IOException {
        CsvTable board = CsvTable.parse(Files.readString(run.dir().resolve("leaderboard.csv")));
        int chosen = LeaderboardSection.chosenRow(board);
        int other = chosen == 0 ? 1 : 0; // two grid points: the other one is #2
        assertThat(board.text(chosen, "p_value")).isEmpty();
        double p = board.number(other, "p_value");
        assertThat(board.text(other, "df")).isEqualTo("1"); // 2 folds
        assertThat(html).contains("id=\"p-value-meaning\"").contains("corrected resampled t-test");
        if (p < LeaderboardSection.ALPHA) {
            assertThat(html).contains("id=\"significant\"").doesNotContain("id=\"not-significant\"");
        } else {
            assertThat(html).contains("id=\"not-significant\"").contains("not significantly better than #2");
        }
        // the difference is the chosen mean minus the other's over the two shared folds
        String metric = "accuracy";
        assertThat(board.number(other, "diff_vs_chosen")).isCloseTo(board.number(chosen, metric + "_mean")
                - board.number(other, metric + "_mean"), org.assertj.core.data.Offset.offset(1e-9));
    }
}
