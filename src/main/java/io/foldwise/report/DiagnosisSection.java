package io.foldwise.report;

import static io.foldwise.report.Html.esc;

import io.foldwise.select.Diagnosis;
import java.util.Optional;

/** The bias/variance diagnosis in words: the verdict and the findings select/Diagnosis states. */
final class DiagnosisSection {
    private DiagnosisSection() {
    }

    static void append(StringBuilder b, Optional<Diagnosis> diagnosis) {
        b.append("<section id=\"diagnosis\"><h2>Bias / variance diagnosis</h2>\n");
        if (diagnosis.isEmpty()) {
            b.append("<p class=\"missing\">diagnosis.json not written yet.</p></section>\n");
            return;
        }
        Diagnosis d = diagnosis.get();
        b.append("<p class=\"verdict\" id=\"verdict\">Verdict for ").append(esc(d.label())).append(": <strong>")
                .append(esc(d.verdict().words())).append("</strong></p>\n<p>Errors are error rates (1 − accuracy, "
                        + "means over folds); J_train and J_cv are data losses. A gap counts as large above its "
                        + "threshold (diagnosis.biasThreshold, diagnosis.varianceThreshold).</p>\n<ul>\n");
        for (String finding : d.findings()) {
            b.append("<li>").append(esc(finding)).append("</li>\n");
        }
        b.append("</ul>\n<p>File: <a href=\"../diagnosis.json\">diagnosis.json</a></p></section>\n");
    }
}
