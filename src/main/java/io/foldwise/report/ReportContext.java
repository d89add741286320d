package io.foldwise.report;

import com.fasterxml.jackson.databind.JsonNode;
import static io.foldwise.report.Html.esc;

import io.foldwise.FoldwiseException;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.JFreeChart;

/**
 * What every section of one rendering shares: the run's stored record and config, its files, and
 * the charts drawn so far (so that charts of an earlier rendering that this one did not draw can
 * be removed).
 */
final class ReportContext {
    final Storage storage;
    final RunLayout layout;
    final RunLayout.ReportLayout report;
    final RunRecord run;
    final Optional<FoldwiseConfig> config;
    /** Why the stored config could not be read, if it could not. */
    final Optional<String> configProblem;
    private final Set<String> charts = new HashSet<>();

    ReportContext(Storage storage, RunLayout layout) {
        this.storage = storage;
        this.layout = layout;
        this.report = layout.report();
        this.run = RunRecord.read(storage, layout);
        Optional<FoldwiseConfig> c = Optional.empty();
        Optional<String> problem = Optional.empty();
        try {
            c = Optional.of(run.foldwiseConfig());
        } catch (FoldwiseException e) {
            problem = Optional.of(e.getMessage());
        }
        this.config = c;
        this.configProblem = problem;
    }

    Optional<String> text(Path path) {
        return StoredFiles.text(storage, path);
    }

    Optional<JsonNode> json(Path path) {
        return StoredFiles.json(storage, path);
    }

    Optional<CsvTable> csv(Path path) {
        return StoredFiles.csv(storage, path);
    }

    /** Writes a chart's PNG and appends the figure that shows it. */
    void figure(StringBuilder b, Path png, JFreeChart chart, int width, int height, String caption) {
        byte[] bytes = Charts.png(chart, width, height);
        storage.writeAtomically(png, out -> out.write(bytes));
        charts.add(png.getName());
        b.append("<figure><img src=\"").append(esc(RunLayout.ReportLayout.link(png))).append("\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" alt=\"").append(esc(caption))
                .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
    }

    /** Deletes charts of an earlier rendering that this one did not draw (e.g. fewer architectures). */
    void removeStaleCharts() {
        for (String name : storage.list(report.dir())) {
            if (RunLayout.ReportLayout.isChart(name) && !charts.contains(name)) {
                storage.delete(new Path(report.dir(), name));
            }
        }
    }
}
