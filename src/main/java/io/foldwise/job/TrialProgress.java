package io.foldwise.job;

import io.foldwise.Progress;
import io.foldwise.config.SelectionMetric;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One progress line per finished trial: done/total, its J_cv, best so far, elapsed and ETA. */
final class TrialProgress {
    private final String phase;
    private final List<GridPoint> points;
    private final SelectionMetric metric;
    private final int total;
    private final SweepListener listener;
    private final long start = System.nanoTime();
    private final List<TrialResult> finished = new ArrayList<>();
    private int trained;

    /**
     * @param phase  "trial" for the grid, "curve" for learning-curve trials (no best-so-far there)
     * @param points the grid, for best-so-far
     */
    TrialProgress(String phase, List<GridPoint> points, SelectionMetric metric, int total, SweepListener listener) {
        this.phase = phase;
        this.points = points;
        this.metric = metric;
        this.total = total;
        this.listener = listener;
    }

    synchronized void resumed(TrialResult r) {
        finished.add(r);
        listener.trialFinished(r, true);
    }

    synchronized void finished(TrialResult r) {
        finished.add(r);
        trained++;
        listener.trialFinished(r, false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        int remaining = total - finished.size();
        double eta = trained == 0 ? 0 : elapsed / trained * remaining;
        String outcome = r.problem().map(p -> "FAILED: " + p)
                .orElse(String.format(Locale.ROOT, "J_cv %.4f, %s %.4f", r.jCv(), metric.configName(),
                        r.metric(metric)));
        String best = phase.equals("trial") ? " | best so far " + bestSoFar() : "";
        Progress.line("%s %d/%d %s: %s%s | %s elapsed, ETA %s", phase, finished.size(), total, r.trialId(), outcome,
                best, Progress.clock(elapsed), Progress.clock(eta));
    }

    private String bestSoFar() {
        return Leaderboard.of(points, finished, metric).leader()
                .map(row -> String.format(Locale.ROOT, "%s %.4f (%s)", metric.configName(),
                        row.metric().mean(), row.point().label()))
                .orElse("none yet");
    }
}
