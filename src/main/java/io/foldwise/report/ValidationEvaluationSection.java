package io.foldwise.report;

import io.foldwise.train.Evaluation;
import java.util.Optional;

/** A train run's validation split: confusion matrix and per-class table. */
final class ValidationEvaluationSection {
    private ValidationEvaluationSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, Optional<Evaluation> validation) {
        b.append("<section id=\"validation\"><h2>Validation evaluation</h2>\n");
        if (validation.isPresent()) {
            EvaluationBlock.append(b, ctx, validation.get(), "Validation split: confusion matrix");
        } else {
            b.append("<p class=\"missing\">No validation metrics.</p>\n");
        }
        b.append("</section>\n");
    }
}
