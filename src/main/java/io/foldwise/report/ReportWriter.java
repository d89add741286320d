package io.foldwise.report;

import io.foldwise.FoldwiseException;
import io.foldwise.Progress;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;

/**
 * Renders a run's {@code report/index.html} and its PNG charts from the files the run stored
 * (run.json, leaderboard.csv, validation-curve.csv, learning-curve.csv, diagnosis.json, trial
 * curves, best/), and nothing else: no retraining, no Spark. The page is self-contained (charts
 * beside it, relative links, inline CSS and script, no network) and every string from config or
 * data is HTML-escaped. Missing files (a failed or still running run) leave their sections out.
 * {@link SweepPage} and {@link TrainPage} choose the sections; {@link PageShell} wraps them.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Writes the report of the run in {@code layout} and returns the path of its index.html.
     *
     * @throws FoldwiseException (usage) if {@code layout} is not a run directory
     */
    public static Path write(Storage storage, RunLayout layout) {
        ReportContext ctx = new ReportContext(storage, layout);
        String body = ctx.run.sweep() ? SweepPage.body(ctx) : TrainPage.body(ctx);
        storage.writeString(ctx.report.index(), PageShell.page(ctx, body));
        ctx.removeStaleCharts();
        return ctx.report.index();
    }

    /** What a job calls when its run ends, finished or failed: write the report and say where. */
    public static Consumer<RunLayout> afterRun(Storage storage) {
        return layout -> writeQuietly(storage, layout).ifPresent(index -> Progress.line("report %s", index));
    }

    /**
     * {@link #write}, but a failure is logged as a warning instead of thrown: a run's results are
     * stored whether or not its report could be drawn, and {@code foldwise report} can redraw it.
     */
    public static Optional<Path> writeQuietly(Storage storage, RunLayout layout) {
        try {
            return Optional.of(write(storage, layout));
        } catch (RuntimeException e) {
            Progress.warn("report of %s not written (%s); re-render it with ./submit.sh report %s", layout.runDir(),
                    e, layout.runDir());
            return Optional.empty();
        }
    }
}
