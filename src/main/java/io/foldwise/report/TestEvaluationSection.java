package io.foldwise.report;

import io.foldwise.train.Evaluation;
import java.util.Optional;

/** The refit model on the test set (best/test-metrics.json), read once after selection. */
final class TestEvaluationSection {
    private TestEvaluationSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, Optional<Evaluation> test) {
        b.append("<section id=\"test\"><h2>Test evaluation</h2>\n");
        if (test.isPresent()) {
            EvaluationBlock.append(b, ctx, test.get(), "Test set: confusion matrix of the refit model");
            b.append("<p>Files: <a href=\"../best/test-metrics.json\">test-metrics.json</a>, "
                    + "<a href=\"../best/confusion.csv\">confusion.csv</a>, <a href=\"../best/model.zip\">model.zip</a>"
                    + "</p>\n");
        } else {
            b.append("<p class=\"missing\">Not evaluated yet.</p>\n");
        }
        b.append("</section>\n");
    }
}
