package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.SmallSweep;
import io.foldwise.store.RunLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report's error analysis: galleries of mistakes grouped by confusion, thumbnails on disk, everything escaped. */
class ErrorAnalysisSectionTest {
    private static final Pattern CONFUSION = Pattern.compile(
            "<div class=\"confusion\" data-true=\"([^\"]*)\" data-predicted=\"([^\"]*)\">(.*?)</div>\\n</div>",
            Pattern.DOTALL);
    private static final Pattern FIGURE = Pattern.compile(
            "<figure class=\"thumb\" data-id=\"([^\"]*)\" data-true=\"([^\"]*)\" data-predicted=\"([^\"]*)\"");
    static SmallSweep.Run run;

    @BeforeAll
    static void sweep() {
        run = SmallSweep.get();
    }

    private static String section(String page) {
        int start = page.indexOf("<section id=\"errors\">");
        assertThat(start).as("error analysis section").isNotNegative();
        return page.substring(start, page.indexOf("</section>", start));
    }

    /** Each confusion block's figures, as {true, predicted, [figure true, figure predicted]...}. */
    private static List<String[]> figures(String block) {
        List<String[]> out = new ArrayList<>();
        Matcher m = FIGURE.matcher(block);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        return out;
    }

    @Test
    void theSweepsReportShowsOnlyMistakesGroupedByConfusionWithThumbnailsOnDisk() throws IOException {
        String page = Files.readString(run.dir().resolve("report/index.html"));
        String errors = section(page);
        assertThat(errors).contains("error-summary").contains("accounts for").contains("error-per-class");
        CsvTable oof = CsvTable.parse(Files.readString(run.dir().resolve("best/oof-predictions.csv")));
        java.util.Map<String, String[]> byId = new java.util.HashMap<>();
        for (int i = 0; i < oof.size(); i++) {
            byId.put(oof.text(i, "id"), new String[] {oof.text(i, "label"), oof.text(i, "predicted")});
        }
        Matcher m = CONFUSION.matcher(errors);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            List<String[]> figs = figures(m.group(3));
            assertThat(figs).isNotEmpty().hasSizeLessThanOrEqualTo(12);
            assertThat(m.group(1)).isNotEqualTo(m.group(2));
            for (String[] f : figs) {
                assertThat(f[1]).isEqualTo(m.group(1));
                assertThat(f[2]).isEqualTo(m.group(2));
                assertThat(byId.get(f[0])).as("figure %s as stored", f[0]).containsExactly(f[1], f[2]);
            }
        }
        assertThat(blocks).isPositive();
        Matcher img = Pattern.compile("src=\"\\.\\./best/thumbnails/([^\"]+)\"").matcher(errors);
        int thumbs = 0;
        while (img.find()) {
            thumbs++;
            assertThat(run.dir().resolve("best/thumbnails").resolve(img.group(1))).isRegularFile();
        }
        assertThat(thumbs).isPositive();
    }

    @Test
    void labelsIdsAndPathsAreEscaped() throws IOException {
        Path copy = run.copy("errors-escaped", r -> { });
        String evil = "<b>x";
        Files.writeString(copy.resolve("best/oof-predictions.csv"), String.join("\n",
                "id,path,label,predicted,p_" + evil + ",p_a&b,fold",
                "\"<script>1\",file:/<i>,a&b," + evil + ",0.9,0.1,0",
                "i2,file:/p2,a&b," + evil + ",0.8,0.2,1",
                "i3,file:/p3," + evil + "," + evil + ",0.7,0.3,0",
                "i4,file:/p4," + evil + ",a&b,0.4,0.6,1", ""));
        Files.createDirectories(copy.resolve("best/thumbnails"));
        Files.write(copy.resolve("best/thumbnails").resolve(RunLayout.thumbnailName("i2")),
                Files.readAllBytes(run.dir().resolve("report/confusion.png")));
        String page = Files.readString(Path.of(ReportWriter.write(run.storage(),
                new RunLayout(new org.apache.hadoop.fs.Path(copy.toUri()))).toUri()));
        String errors = section(page);
        assertThat(errors).doesNotContain("<script>").doesNotContain("<b>x").doesNotContain("<i>")
                .contains("&lt;script&gt;1").contains("&lt;b&gt;x").contains("a&amp;b");
        Matcher m = CONFUSION.matcher(errors);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(1) + "→" + m.group(2));
            for (String[] f : figures(m.group(3))) {
                assertThat(f[1]).isEqualTo(m.group(1));
                assertThat(f[2]).isEqualTo(m.group(2));
            }
        }
        assertThat(seen).containsExactly("a&amp;b→&lt;b&gt;x", "&lt;b&gt;x→a&amp;b");
        assertThat(errors).contains("src=\"../best/thumbnails/" + RunLayout.thumbnailName("i2") + "\"");
        // the missing thumbnail shows the (escaped) id instead
        assertThat(errors).contains("<span class=\"no-thumb\">&lt;script&gt;1</span>");
    }
}
