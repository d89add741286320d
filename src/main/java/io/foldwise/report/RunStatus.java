package io.foldwise.report;

import io.foldwise.Progress;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.SelectionMetric;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.RandomSearch;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialResult;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunLock;
import io.foldwise.store.RunRecord;
import io.foldwise.store.RunState;
import io.foldwise.store.Storage;
import io.foldwise.store.TrialStore;
import io.foldwise.train.Evaluation;
import io.foldwise.train.TrainMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where a run stands, from its stored state only (run.json, trial directories, leaderboard.csv,
 * metrics files), so that it can be read from another shell while a sweep runs and after it ended.
 * A sweep expects one trial per grid point and fold; a trial is done when its {@code _SUCCESS}
 * exists, failed when it left {@code error.txt} without one, and pending otherwise.
 *
 * @param runId    the run id
 * @param command  {@code sweep} or {@code train}
 * @param state    run.json's status
 * @param grid     the sweep's grid trials (empty for a train run)
 * @param curve    the learning-curve trials below the whole training part, once the chosen point is
 *                 known (empty before, for a train run, or with no learning curve)
 * @param best     the grid point with the best mean metric over its committed folds so far
 * @param lines    the status for people, one line each
 */
public record RunStatus(String runId, String command, RunState state, Optional<Counts> grid, Optional<Counts> curve,
                        Optional<Leaderboard.Row> best, List<String> lines) {
    public RunStatus {
        lines = List.copyOf(lines);
    }

    /**
     * Trials of one phase.
     *
     * @param inProgress pending trials whose directory exists (being trained, or interrupted)
     */
    public record Counts(int expected, int done, int failed, int inProgress) {
        /** Expected trials neither done nor failed. */
        public int pending() {
            return expected - done - failed;
        }

        String describe(String what) {
            return String.format(Locale.ROOT, "%s: %d expected, %d done, %d failed, %d pending%s", what, expected,
                    done, failed, pending(), inProgress > 0 ? " (" + inProgress + " started)" : "");
        }
    }

    /** True once run.json says the run finished. */
    public boolean finished() {
        return state == RunState.FINISHED;
    }

    /**
     * Reads the status of the run in {@code layout}.
     *
     * @throws io.foldwise.FoldwiseException (usage) if it is not a run directory
     */
    public static RunStatus read(Storage storage, RunLayout layout) {
        RunRecord run = RunRecord.read(storage, layout);
        String command = run.command();
        RunState state = run.status();
        List<String> lines = new ArrayList<>();
        lines.add(headline(run) + staleness(storage, layout, run));
        if (!run.sweep()) {
            trainMetrics(storage, layout, lines);
            return new RunStatus(run.runId(), command, state, Optional.empty(), Optional.empty(),
                    Optional.empty(), lines);
        }
        FoldwiseConfig config = run.foldwiseConfig();
        List<GridPoint> points = RandomSearch.candidates(config.source(), config.sweep());
        Map<String, StoredTrials.Trial> trials = StoredTrials.read(new TrialStore(storage, layout)).stream()
                .collect(Collectors.toMap(StoredTrials.Trial::trialId, Function.identity()));
        int folds = config.sweep().folds();
        Set<String> pointIds = points.stream().map(GridPoint::id).collect(Collectors.toSet());

        Counts grid = count(trials, pointIds, folds, List.of(1.0));
        lines.add(grid.describe(String.format(Locale.ROOT, "grid trials (%d points x %d folds)", points.size(), folds)));

        Optional<String> chosen = chosenPointId(storage, layout);
        List<Double> fractions = config.learningCurve().fractions().stream().filter(f -> f < 1).toList();
        Optional<Counts> curve = Optional.empty();
        if (fractions.isEmpty()) {
            lines.add("learning-curve trials: none configured (learningCurve.fractions)");
        } else if (chosen.isEmpty()) {
            lines.add("learning-curve trials: not started (they follow the choice, after every grid trial)");
        } else {
            Set<String> lcPoints = new LinkedHashSet<>(List.of(chosen.get()));
            Grid.learningCurvePoints(config.source(), points, config.learningCurve())
                    .forEach(p -> lcPoints.add(p.id()));
            curve = Optional.of(count(trials, lcPoints, folds, fractions));
            lines.add(curve.get().describe(String.format(Locale.ROOT, "learning-curve trials (%d point(s) x %d "
                    + "sizes x %d folds)", lcPoints.size(), fractions.size(), folds)));
        }

        SelectionMetric metric = config.sweep().metric();
        List<TrialResult> results = trials.values().stream().flatMap(t -> t.result().stream())
                .filter(r -> r.fraction() == 1.0 && pointIds.contains(r.pointId())).toList();
        Optional<Leaderboard.Row> best = Leaderboard.of(points, results, metric).leader();
        lines.add(best.map(r -> String.format(Locale.ROOT, "best so far: %s %s over %d fold(s): %s (point %s)",
                metric.configName(), r.metric().format(), r.okFolds(), r.point().label(), r.point().id()))
                .orElse("best so far: none (no grid trial has finished)"));
        chosen.ifPresent(id -> points.stream().filter(p -> p.id().equals(id)).findFirst()
                .ifPresent(p -> lines.add("chosen: " + p.label() + " (point " + id + ", leaderboard.csv)")));
        testLine(storage, layout, lines);
        trials.values().stream().filter(t -> t.state() == TrialStore.State.FAILED).limit(5)
                .forEach(t -> lines.add("failed trial " + t.trialId() + ": " + t.error().orElse("")));
        return new RunStatus(run.runId(), command, state, Optional.of(grid), curve, best, lines);
    }

    private static Counts count(Map<String, StoredTrials.Trial> trials, Set<String> pointIds, int folds,
                                List<Double> fractions) {
        int expected = 0;
        int done = 0;
        int failed = 0;
        int started = 0;
        for (String id : pointIds) {
            for (double fraction : fractions) {
                for (int f = 0; f < folds; f++) {
                    expected++;
                    StoredTrials.Trial t = trials.get(new TrialId(id, f, fraction).value());
                    if (t == null) {
                        continue;
                    }
                    switch (t.state()) {
                        case DONE -> done++;
                        case FAILED -> failed++;
                        case IN_PROGRESS -> started++;
                        default -> throw new IllegalStateException("unknown trial state " + t.state());
                    }
                }
            }
        }
        return new Counts(expected, done, failed, started);
    }

    /**
     * For a running sweep whose lock has no owner or no heartbeat within run.lockStaleSeconds (on
     * the store's clock): the process was killed without a chance to say so.
     */
    private static String staleness(Storage storage, RunLayout layout, RunRecord run) {
        if (run.status() != RunState.RUNNING || !run.sweep()) {
            return "";
        }
        int stale = run.foldwiseConfig().run().lockStaleSeconds();
        OptionalLong age;
        try {
            age = RunLock.heartbeatAge(storage, layout.lockFile());
        } catch (RuntimeException e) {
            return ""; // the store cannot be stamped from here: say nothing rather than guess
        }
        if (age.isPresent() && age.getAsLong() < stale) {
            return "";
        }
        return " — " + STALE + ": " + (age.isPresent() ? "no lock heartbeat for " + age.getAsLong() + "s"
                : "no process holds its lock") + "; run the same sweep again to resume it";
    }

    /** What status calls a running sweep that no live process owns. */
    public static final String STALE = "stale (owner gone?)";

    private static String headline(RunRecord run) {
        String head = "run " + run.runId() + " (" + run.command() + "): " + run.status();
        Instant started = run.provenance().started();
        if (run.finished().isPresent() && run.seconds().isPresent()) {
            head += " at " + run.finished().get() + " after " + Progress.clock(run.seconds().getAsDouble());
        } else {
            head += " since " + started + " (" + Progress.clock(Duration.between(started, Instant.now()).toMillis()
                    / 1000.0) + " ago)";
        }
        if (run.error().isPresent()) {
            head += ": " + run.error().get();
        }
        return head;
    }

    private static Optional<String> chosenPointId(Storage storage, RunLayout layout) {
        if (!storage.exists(layout.leaderboardCsv())) {
            return Optional.empty();
        }
        CsvTable board = CsvTable.parse(storage.readString(layout.leaderboardCsv()));
        int chosen = LeaderboardSection.chosenRow(board);
        return chosen < 0 ? Optional.empty() : Optional.of(board.text(chosen, "point_id"));
    }

    /** "accuracy 0.8720, loss 0.4227, macro F1 0.8713 on 500 images". */
    private static String evaluation(Evaluation e) {
        return String.format(Locale.ROOT, "accuracy %.4f, loss %.4f, macro F1 %.4f on %d images",
                e.accuracy(), e.dataLoss(), e.macroF1(), e.count());
    }

    private static void testLine(Storage storage, RunLayout layout, List<String> lines) {
        StoredFiles.json(storage, layout.best().testMetricsJson()).map(Evaluation::fromJson)
                .ifPresent(e -> lines.add("test: " + evaluation(e)));
    }

    private static void trainMetrics(Storage storage, RunLayout layout, List<String> lines) {
        Optional<TrainMetrics> m = StoredFiles.json(storage, layout.metricsJson()).map(TrainMetrics::fromJson);
        if (m.isEmpty()) {
            lines.add("metrics: not written yet");
            return;
        }
        lines.add("train: " + evaluation(m.get().train()));
        m.get().validation().ifPresent(v -> lines.add("validation: " + evaluation(v)));
    }
}
