package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.store.RunLayout;
import org.junit.jupiter.api.Test;

/** The report's small parts, without Spark: CSV reading, escaping and run-relative links. */
class ReportPartsTest {

    @Test
    void csvReadsQuotedFieldsAsTheWritersQuoteThem() {
        CsvTable t = CsvTable.parse("a,label,x\n1,\"mlp[128,64]/relu l2=0.1\",\n2,\"say \"\"hi\"\"\nthere\",0.5\n");
        assertThat(t.header()).containsExactly("a", "label", "x");
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.text(0, "label")).isEqualTo("mlp[128,64]/relu l2=0.1");
        assertThat(t.number(0, "x")).isNaN();
        assertThat(t.text(1, "label")).isEqualTo("say \"hi\"\nthere");
        assertThat(t.number(1, "x")).isEqualTo(0.5);
        assertThat(CsvTable.parse("").size()).isZero();
    }

    @Test
    void csvRecordsStreamTheSameRecordsAsTheWholeTextParse() {
        String text = "id,p\r\n\"a,\"\"b\"\"\",0.25\r\n\r\nc,\"\"\n\"end\"";
        // One character per read: record boundaries must not depend on how the stream is chunked.
        java.io.Reader slow = new java.io.FilterReader(new java.io.StringReader(text)) {
            @Override
            public int read(char[] buf, int off, int len) throws java.io.IOException {
                return super.read(buf, off, Math.min(1, len));
            }
        };
        CsvRecords records = new CsvRecords(new java.io.BufferedReader(slow, 1));
        java.util.List<java.util.List<String>> read = new java.util.ArrayList<>();
        for (java.util.List<String> r = records.next(); r != null; r = records.next()) {
            read.add(r);
        }
        assertThat(read).containsExactly(java.util.List.of("id", "p"), java.util.List.of("a,\"b\"", "0.25"),
                java.util.List.of(""), java.util.List.of("c", ""), java.util.List.of("end"));
        CsvTable t = CsvTable.parse(text);
        assertThat(t.header()).containsExactly("id", "p");
        assertThat(t.rows()).hasSize(4);
        assertThat(t.text(0, "id")).isEqualTo("a,\"b\"");
    }

    @Test
    void escapesMarkupAndQuotes() {
        assertThat(Html.esc("<script>alert('x')</script> & \"y\"")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
        assertThat(Html.esc(null)).isEmpty();
    }

    @Test
    void linksOnlyRunRelativePathsFromTheReportDirectory() {
        assertThat(AugmentationSection.relativeHref("augment/preview 1.png")).contains("../augment/preview%201.png");
        assertThat(AugmentationSection.relativeHref("../elsewhere.png")).isEmpty();
        assertThat(AugmentationSection.relativeHref("/etc/passwd")).isEmpty();
        assertThat(AugmentationSection.relativeHref("hdfs://nn/x.png")).isEmpty();
        assertThat(AugmentationSection.relativeHref("")).isEmpty();
    }

    @Test
    void staleChartCleanupRecognisesEveryChartNameAndNothingElse() {
        RunLayout.ReportLayout r = new RunLayout(new org.apache.hadoop.fs.Path("/runs/x")).report();
        for (org.apache.hadoop.fs.Path chart : java.util.List.of(r.validationCurve(12), r.learningCurveError(0),
                r.learningCurveLoss(3), r.foldEpochs(), r.refitEpochs(), r.trainAccuracy(), r.confusion())) {
            assertThat(RunLayout.ReportLayout.isChart(chart.getName())).as(chart.getName()).isTrue();
        }
        assertThat(RunLayout.ReportLayout.isChart("augment-preview.png")).isFalse();
        assertThat(RunLayout.ReportLayout.isChart(r.index().getName())).isFalse();
    }
}
