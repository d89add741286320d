package io.foldwise.report;

import io.foldwise.Progress;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.Schedule;
import io.foldwise.config.SearchStrategy;
import io.foldwise.config.SelectionMetric;
import io.foldwise.config.SweepConfig;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Halving;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.RandomSearch;
import io.foldwise.select.StoredTrials;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunLock;
import io.foldwise.store.RunRecord;
import io.foldwise.store.RunState;
import io.foldwise.store.Storage;
import io.foldwise.store.TransferSource;
import io.foldwise.store.TrialStore;
import io.foldwise.train.Evaluation;
import io.foldwise.train.TrainMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
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
 * The trials a sweep expects are the ones its method plans ({@link TrialSpec#crossValidation} for the
 * full schedule: every candidate, grid or random draw, on every fold of every repeat;
 * {@link Halving.Plan} under successive halving, rung by rung). A trial is done when its
 * {@code _SUCCESS} exists, failed when it left {@code error.txt} without one, and pending otherwise.
 *
 * @param runId    the run id
 * @param command  {@code sweep} or {@code train}
 * @param state    run.json's status
 * @param grid     the sweep's cross-validation trials (empty for a train run); under successive
 *                 halving, those planned so far: the known candidates' trials of every rung, plus
 *                 the trials of the candidates later rungs will promote
 * @param rungs    under successive halving, each rung's trials (empty otherwise)
 * @param curve    the learning-curve trials below the whole training part, once the chosen point is
 *                 known (empty before, for a train run, or with no learning curve)
 * @param best     the grid point with the best mean metric over its committed folds so far
 * @param lines    the status for people, one line each
 */
public record RunStatus(String runId, String command, RunState state, Optional<Counts> grid, List<Rung> rungs,
                        Optional<Counts> curve, Optional<Leaderboard.Row> best, List<String> lines) {
    public RunStatus {
        rungs = List.copyOf(rungs);
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

    /**
     * One successive-halving rung as far as the stored trials show.
     *
     * @param index      the rung, from 0
     * @param folds      folds per repeat it trains on
     * @param epochs     its epoch budgets ("1", or "1 / 3" when candidates' own epochs differ)
     * @param repeats    repeats it trains (all of {@code sweep.repeats} on the last rung, else 1)
     * @param candidates how many candidates the plan sends to it
     * @param entered    the candidates known to be in it: all at rung 0; later, those promoted (a
     *                   trial of theirs for this rung is stored)
     * @param trials     its trials: {@code candidates} times its folds and repeats are expected; done,
     *                   failed and started count the entered candidates' trials (a trial it shares
     *                   with an earlier rung counts in both)
     */
    public record Rung(int index, int folds, String epochs, int repeats, int candidates, int entered,
                       Counts trials) {
        String describe(int rungs) {
            String budget = folds + " fold(s)" + (repeats > 1 ? " x " + repeats + " repeats" : "") + " x " + epochs
                    + " epoch(s)";
            String who = index == 0 ? candidates + " candidate(s)"
                    : candidates + " candidate(s) promoted from rung " + (index - 1) + ", " + entered + " known so far"
                    + (entered < candidates ? " (which ones depends on promotion)" : "");
            return trials.describe(String.format(Locale.ROOT, "  rung %d of %d%s: %s, %s", index, rungs,
                    index == rungs - 1 ? " (the last: selection uses it)" : "", who, budget));
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
            FoldwiseConfig config = run.foldwiseConfig();
            run.transferSources().forEach(t -> lines.add(source(t) + "; this run starts from it with freeze="
                    + config.train().transfer().freezeText()));
            trainMetrics(storage, layout, lines);
            return new RunStatus(run.runId(), command, state, Optional.empty(), List.of(), Optional.empty(),
                    Optional.empty(), lines);
        }
        FoldwiseConfig config = run.foldwiseConfig();
        SweepConfig sweep = config.sweep();
        List<GridPoint> points = RandomSearch.candidates(config.source(), sweep);
        transferLines(run.transferSources(), points, lines);
        Map<String, StoredTrials.Trial> trials = StoredTrials.read(new TrialStore(storage, layout)).stream()
                .collect(Collectors.toMap(StoredTrials.Trial::trialId, Function.identity()));
        int folds = sweep.folds();
        Set<String> pointIds = points.stream().map(GridPoint::id).collect(Collectors.toSet());

        String candidates = sweep.search() == SearchStrategy.RANDOM
                ? points.size() + " random point(s) of sweep.samples = " + sweep.samples()
                : points.size() + " grid point(s)";
        Counts grid;
        List<Rung> rungs = List.of();
        if (sweep.schedule() == Schedule.HALVING) {
            Halving.Plan plan = Halving.Plan.of(sweep, points);
            List<Counts> total = new ArrayList<>();
            rungs = halving(trials, points, plan, total);
            grid = total.get(0);
            lines.add(grid.describe(String.format(Locale.ROOT, "cross-validation trials, successive halving of %s "
                    + "in %d rung(s) (planned so far: later rungs' candidates depend on promotion)", candidates,
                    plan.rungs())));
            rungs.forEach(r -> lines.add(r.describe(plan.rungs())));
        } else {
            grid = count(trials, TrialSpec.crossValidation(points, sweep).stream().map(TrialSpec::id).toList());
            lines.add(grid.describe(String.format(Locale.ROOT, "cross-validation trials (%s x %d folds%s)", candidates,
                    folds, sweep.repeats() > 1 ? " x " + sweep.repeats() + " repeats" : "")));
        }

        Optional<String> chosen = chosenPointId(storage, layout);
        List<Double> fractions = config.learningCurve().fractions().stream().filter(f -> f < 1).toList();
        Optional<Counts> curve = Optional.empty();
        if (fractions.isEmpty()) {
            lines.add("learning-curve trials: none configured (learningCurve.fractions)");
        } else if (chosen.isEmpty()) {
            lines.add("learning-curve trials: not started (they follow the choice, after every grid trial)");
        } else {
            List<GridPoint> lcPoints = new ArrayList<>();
            points.stream().filter(p -> p.id().equals(chosen.get())).forEach(lcPoints::add);
            Grid.learningCurvePoints(config.source(), points, config.learningCurve()).stream()
                    .filter(p -> !lcPoints.contains(p)).forEach(lcPoints::add);
            curve = Optional.of(count(trials, TrialSpec.learningCurve(lcPoints, fractions, folds).stream()
                    .map(TrialSpec::id).toList()));
            lines.add(curve.get().describe(String.format(Locale.ROOT, "learning-curve trials (%d point(s) x %d "
                    + "sizes x %d folds)", lcPoints.size(), fractions.size(), folds)));
        }

        SelectionMetric metric = sweep.metric();
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
        return new RunStatus(run.runId(), command, state, Optional.of(grid), rungs, curve, best, lines);
    }

    /**
     * The rungs of a halving sweep as its trial directories show them. Rung 0 holds every candidate;
     * a later rung holds the candidates of the one before with a trial of their own stored for it
     * (promotion is decided by the sweep, not here). Adds to {@code total} the trials of all rungs
     * planned so far: the known candidates' (each trial once), plus for each candidate a rung will
     * promote but has not shown yet, the trials its earlier rungs did not already train (taken from a
     * candidate of the rung before: exact when candidates share their epochs).
     */
    private static List<Rung> halving(Map<String, StoredTrials.Trial> trials, List<GridPoint> points,
                                      Halving.Plan plan, List<Counts> total) {
        List<Rung> rungs = new ArrayList<>();
        Set<TrialId> planned = new LinkedHashSet<>();
        int unknown = 0;
        List<GridPoint> previous = points;
        List<GridPoint> pool = points; // the latest known candidates, to size the unknown ones by
        for (int i = 0; i < plan.rungs(); i++) {
            int rung = i;
            List<GridPoint> entered = i == 0 ? points : previous.stream()
                    .filter(p -> fresh(plan, rung, p).stream().anyMatch(id -> trials.containsKey(id.value()))).toList();
            List<TrialId> ids = entered.stream().flatMap(p -> plan.specs(rung, p).stream()).map(TrialSpec::id).toList();
            planned.addAll(ids);
            int expectedCandidates = plan.candidates(i, points.size());
            if (expectedCandidates > entered.size()) {
                GridPoint like = pool.stream().filter(p -> !entered.contains(p)).findFirst().orElse(pool.get(0));
                unknown += (expectedCandidates - entered.size()) * fresh(plan, rung, like).size();
            }
            Counts c = count(trials, ids);
            pool = entered.isEmpty() ? pool : entered;
            String epochs = pool.stream().map(p -> String.valueOf(plan.rung(rung, p).epochs())).distinct()
                    .collect(Collectors.joining(" / "));
            rungs.add(new Rung(i, plan.folds(i), epochs, plan.last(i) ? plan.repeats() : 1, expectedCandidates,
                    entered.size(), new Counts(Math.max(c.expected(), expectedCandidates * plan.trialsPerCandidate(i)),
                    c.done(), c.failed(), c.inProgress())));
            previous = entered;
        }
        Counts known = count(trials, planned);
        total.add(new Counts(known.expected() + unknown, known.done(), known.failed(), known.inProgress()));
        return rungs;
    }

    /** The trial ids of {@code point} at rung {@code i} that no earlier rung of it has. */
    private static List<TrialId> fresh(Halving.Plan plan, int i, GridPoint point) {
        Set<TrialId> before = new LinkedHashSet<>();
        for (int j = 0; j < i; j++) {
            plan.specs(j, point).forEach(s -> before.add(s.id()));
        }
        return plan.specs(i, point).stream().map(TrialSpec::id).filter(id -> !before.contains(id)).toList();
    }

    /**
     * One line per transfer source (run.json's transferSources): its lineage and the points that start
     * from it, by their {@code train.transfer.from}; and the points that train from scratch.
     */
    private static void transferLines(List<TransferSource> sources, List<GridPoint> points, List<String> lines) {
        if (sources.isEmpty()) {
            return;
        }
        for (TransferSource s : sources) {
            lines.add(source(s) + "; starts " + points.stream()
                    .filter(p -> p.train().transfer().from().filter(s.from()::equals).isPresent())
                    .map(p -> "point " + p.id() + " (freeze=" + p.train().transfer().freezeText() + ")")
                    .collect(Collectors.joining(", ")));
        }
        List<String> scratch = points.stream().filter(p -> !p.train().transfer().fromSource())
                .map(p -> "point " + p.id()).toList();
        if (!scratch.isEmpty()) {
            lines.add("from scratch: " + String.join(", ", scratch));
        }
    }

    /** "transfer source runs/digits-0-4: file:/.../model.zip, run digits-0-4, model 3fa9..., data e498..., mlp[128,64]/relu". */
    private static String source(TransferSource s) {
        return "transfer source " + s.from() + ": " + s.uri() + ", " + s.identity()
                + (s.architecture().isEmpty() ? "" : ", " + s.architecture());
    }

    private static Counts count(Map<String, StoredTrials.Trial> trials, Collection<TrialId> ids) {
        int done = 0;
        int failed = 0;
        int started = 0;
        for (TrialId id : ids) {
            StoredTrials.Trial t = trials.get(id.value());
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
        return new Counts(ids.size(), done, failed, started);
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
