package io.foldwise.report;

import static io.foldwise.report.Html.esc;

import io.foldwise.store.DataFacts;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/** The augmentation preview a run that augments records in run.json's data facts. */
final class AugmentationSection {
    private AugmentationSection() {
    }

    static void append(StringBuilder b, ReportContext ctx) {
        String preview = ctx.run.data().flatMap(DataFacts::augmentPreview).orElse("");
        Optional<String> href = relativeHref(preview);
        if (href.isEmpty() || !ctx.storage.exists(new Path(ctx.layout.runDir(), preview))) {
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
}
