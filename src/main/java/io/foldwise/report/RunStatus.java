package io.foldwise.report;

import io.foldwise.Progress;
import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.SelectionMetric;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialResult;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * @param state    run.json's status: running, finished or failed
 * @param grid     the sweep's grid trials (empty for a train run)
 * @param curve    the learning-curve trials below the whole training part, once the chosen point is
 *                 known (empty before, for a train run, or with no learning curve)
 * @param best     the grid point with the best mean metric over its committed folds so far
 * @param lines    the status for people, one line each
 */
public record RunStatus(String runId, String command, String state, Optional<Counts> grid, Optional<Counts> curve,
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
        return "finished".equals(state);
    }

    /**
     * Reads the status of the run in {@code layout}.
     *
     * @throws io.foldwise.FoldwiseException (usage) if it is not a run directory
     */
    public static RunStatus read(Storage storage, RunLayout layout) {
        JsonNode run = RunRecord.read(storage, layout);
        String command = run.path("command").asText();
        String state = run.path("status").asText("unknown");
        List<String> lines = new ArrayList<>();
        lines.add(headline(run, command, state));
        if (!"sweep".equals(command)) {
            trainMetrics(storage, layout, lines);
            return new RunStatus(run.path("runId").asText(), command, state, Optional.empty(), Optional.empty(),
                    Optional.empty(), lines);
        }
        FoldwiseConfig config = RunRecord.config(run);
        List<GridPoint> points = Grid.expand(config);
        Map<String, StoredTrials.Trial> trials = StoredTrials.read(storage, layout).stream()
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
        trials.values().stream().filter(t -> t.state() == StoredTrials.State.FAILED).limit(5)
                .forEach(t -> lines.add("failed trial " + t.trialId() + ": " + t.error().orElse("")));
        return new RunStatus(run.path("runId").asText(), command, state, Optional.of(grid), curve, best, lines);
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

    private static String headline(JsonNode run, String command, String state) {
        String head = "run " + run.path("runId").asText() + " (" + command + "): " + state;
        String started = run.path("provenance").path("started").asText("");
        if (run.has("seconds")) {
            head += " at " + run.path("finished").asText() + " after " + Progress.clock(run.path("seconds").asDouble());
        } else if (!started.isEmpty()) {
            head += " since " + started + elapsed(started);
        }
        if (run.hasNonNull("error")) {
            head += ": " + run.path("error").asText();
        }
        return head;
    }

    private static String elapsed(String started) {
        try {
            return " (" + Progress.clock(Duration.between(Instant.parse(started), Instant.now()).toMillis() / 1000.0)
                    + " ago)";
        } catch (DateTimeParseException e) {
            return "";
        }
    }

    private static Optional<String> chosenPointId(Storage storage, RunLayout layout) {
        if (!storage.exists(layout.leaderboardCsv())) {
            return Optional.empty();
        }
        CsvTable board = CsvTable.parse(storage.readString(layout.leaderboardCsv()));
        int chosen = ReportWriter.chosenRow(board);
        return chosen < 0 ? Optional.empty() : Optional.of(board.text(chosen, "point_id"));
    }

    /** "accuracy 0.8720, loss 0.4227, macro F1 0.8713 on 500 images" of an evaluation's JSON. */
    private static String evaluation(JsonNode e) {
        return String.format(Locale.ROOT, "accuracy %.4f, loss %.4f, macro F1 %.4f on %d images",
                e.path("accuracy").asDouble(), e.path("loss").asDouble(), e.path("f1Macro").asDouble(),
                e.path("count").asLong());
    }

    private static void testLine(Storage storage, RunLayout layout, List<String> lines) {
        if (storage.exists(layout.best().testMetricsJson())) {
            lines.add("test: " + evaluation(Json.parse(storage.readString(layout.best().testMetricsJson()))));
        }
    }

    private static void trainMetrics(Storage storage, RunLayout layout, List<String> lines) {
        if (!storage.exists(layout.metricsJson())) {
            lines.add("metrics: not written yet");
            return;
        }
        JsonNode m = Json.parse(storage.readString(layout.metricsJson()));
        for (String set : List.of("train", "validation")) {
            JsonNode e = m.path(set);
            if (e.isObject()) {
                lines.add(set + ": " + evaluation(e));
            }
        }
    }
}
