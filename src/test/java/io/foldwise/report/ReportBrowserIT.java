package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real browser renders the report: headless Chromium (Debian package {@code chromium}, which
 * .ci/run installs) loads the report from disk with networking off. For the image check the test
 * loads a copy of index.html beside it with a checking script of its own appended (the report
 * itself carries no test code): it records each image's natural width, and the DOM dump must show
 * every image loaded. The test fails, not
 * skips, without Chromium: the report's promise is that a browser shows it.
 */
class ReportBrowserIT {
    static Path index;
    static Path chromium;

    @BeforeAll
    static void sweep() {
        chromium = findChromium();
        index = SmallSweep.get().dir().resolve("report/index.html");
    }

    static Path findChromium() {
        String env = System.getenv("FOLDWISE_CHROMIUM");
        List<String> candidates = new ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(env);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            candidates.add(dir + "/chromium");
            candidates.add(dir + "/chromium-browser");
        }
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return Path.of(c);
            }
        }
        return fail("headless Chromium is needed to check the HTML report in a real browser, and none is on PATH: "
                + "install it (apt-get install -y chromium; .ci/run does) or set FOLDWISE_CHROMIUM");
    }

    /**
     * Records every image's natural width and the count of broken ones in the DOM once the page
     * has loaded, for {@link #everyImageLoadsInTheBrowser} to read from Chromium's DOM dump.
     */
    private static final String IMAGE_CHECK = """
            <div id="image-check" hidden></div>
            <script>
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
            </script>
            """;

    /** Runs Chromium headless on index.html with networking off and a fresh profile; returns its stdout. */
    static String chromium(String... extra) throws IOException, InterruptedException {
        return chromium(index, extra);
    }

    /** Runs Chromium headless on {@code page}; returns its stdout. */
    static String chromium(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("foldwise-chromium-");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=5000"));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + command);
        }
        SmallSweep.deleteTree(profile);
        assertThat(p.exitValue()).as("chromium exit code for " + command).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyImageLoadsInTheBrowser() throws Exception {
        String page = Files.readString(index);
        assertThat(page).as("the report itself carries no test script").doesNotContain("image-check");
        assertThat(page).as("error analysis thumbnails are among the images checked").contains("../best/thumbnails/");
        // beside index.html, so that its relative image links resolve the same way
        Path checked = index.resolveSibling("browser-check.html");
        Files.writeString(checked, page.replace("</body>", IMAGE_CHECK + "</body>"));
        String dom;
        try {
            dom = chromium(checked, "--dump-dom");
        } finally {
            Files.deleteIfExists(checked);
        }
        int images = ReportWriterTest.imageSources(Files.readString(index)).size();
        assertThat(images).isPositive();
        List<Integer> widths = new ArrayList<>();
        Matcher m = Pattern.compile("data-natural-width=\"(\\d+)\"").matcher(dom);
        while (m.find()) {
            widths.add(Integer.parseInt(m.group(1)));
        }
        assertThat(widths).as("the page script ran and saw every image").hasSize(images);
        assertThat(widths).as("natural widths: 0 means the image failed to load").allMatch(w -> w > 0);
        assertThat(dom).contains("data-broken=\"0\"").contains("data-images=\"" + images + "\"");
    }

    @Test
    void screenshotOfTheReport() throws Exception {
        Path shot = TestSpark.projectDir().resolve("target/report-screenshot.png");
        Files.deleteIfExists(shot);
        chromium("--hide-scrollbars", "--window-size=1200,3000", "--screenshot=" + shot);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1200);
    }
}
