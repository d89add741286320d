package io.foldwise.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.foldwise.FoldwiseException;
import io.foldwise.Progress;
import io.foldwise.TestPause;
import io.foldwise.config.ConfigDiff;
import io.foldwise.config.EarlyStopping;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.HalvingConfig;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.SelectionMetric;
import io.foldwise.config.Schedule;
import io.foldwise.config.SearchStrategy;
import io.foldwise.config.SweepConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.ingest.Fingerprint;
import io.foldwise.ingest.Ingestor;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.select.BestParams;
import io.foldwise.select.CorrectedTTest;
import io.foldwise.select.Diagnosis;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Halving;
import io.foldwise.select.Leaderboard;
import io.foldwise.select.LearningCurve;
import io.foldwise.select.RandomSearch;
import io.foldwise.select.RefitEpochs;
import io.foldwise.select.Selection;
import io.foldwise.select.Selector;
import io.foldwise.select.Split;
import io.foldwise.select.Splits;
import io.foldwise.select.Stat;
import io.foldwise.select.TrialId;
import io.foldwise.select.TrialMetrics;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import io.foldwise.select.ValidationCurve;
import io.foldwise.store.DataFacts;
import io.foldwise.store.Json;
import io.foldwise.store.Provenance;
import io.foldwise.store.RunDirectory;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunLock;
import io.foldwise.store.RunRecord;
import io.foldwise.store.RunState;
import io.foldwise.store.Storage;
import io.foldwise.store.TransferSource;
import io.foldwise.store.TrialStore;
import io.foldwise.store.UnreadableRunException;
import io.foldwise.train.Evaluation;
import io.foldwise.train.Evaluator;
import io.foldwise.train.Predictor;
import io.foldwise.select.Threshold;
import io.foldwise.store.ModelFiles;
import io.foldwise.store.ModelLabels;
import io.foldwise.train.StopPoint;
import io.foldwise.train.Tensorizer;
import io.foldwise.train.TrainedModel;
import io.foldwise.train.WorkerRule;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code sweep} command: k-fold cross-validation of every grid point, selection by the mean
 * CV metric, learning and validation curves, a bias/variance diagnosis, a refit of the chosen
 * point on all training data, and one evaluation on the test set, read only after all of that.
 */
public final class SweepJob {
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final Storage storage;
    private final FoldwiseConfig config;
    private final SweepListener listener;
    private final boolean force;
    private final boolean allowDataChange;
    private final Consumer<RunLayout> onEnd;
    /** The run this sweep resumes, once {@link #prepare} found one. */
    private Optional<RunRecord> resumed = Optional.empty();
    /** Guards every commit of the running sweep: none once it was stopped (lock lost, signal). */
    private RunGuard guard;
    /** The tests' fault-injection seam; off unless its system property is set. */
    private final TestPause pause = TestPause.fromSystemProperties();

    public SweepJob(SparkSession spark, FoldwiseConfig config, SweepListener listener) {
        this(spark, config, listener, false);
    }

    /**
     * @param force run again from scratch even if the run directory holds a finished run
     */
    public SweepJob(SparkSession spark, FoldwiseConfig config, SweepListener listener, boolean force) {
        this(spark, config, listener, force, layout -> { });
    }

    /**
     * @param onEnd called with the run's layout when the sweep finished or failed (the CLI writes
     *              the report there; select does not depend on report)
     */
    public SweepJob(SparkSession spark, FoldwiseConfig config, SweepListener listener, boolean force,
                    Consumer<RunLayout> onEnd) {
        this(spark, config, listener, force, false, onEnd);
    }

    /**
     * @param allowDataChange resume even when the training data changed since the run started
     *                        (its committed trials were trained on the old data)
     */
    public SweepJob(SparkSession spark, FoldwiseConfig config, SweepListener listener, boolean force,
                    boolean allowDataChange, Consumer<RunLayout> onEnd) {
        this.force = force;
        this.allowDataChange = allowDataChange;
        this.onEnd = onEnd;
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.storage = new Storage(sc.hadoopConfiguration());
        this.config = config;
        this.listener = listener;
    }

    /** What a sweep produced. */
    public record Result(RunLayout layout, Leaderboard leaderboard, Selection selection, Diagnosis diagnosis,
                         Evaluation test) {
    }

    /**
     * Runs the sweep, or resumes it when the run directory holds an unfinished run of the same
     * configuration (committed trials are not retrained). Empty when the run had already finished
     * and {@code force} is off: nothing was done.
     */
    public Optional<Result> run() {
        SweepConfig sweep = config.sweep();
        if (sweep.search() == SearchStrategy.GRID && sweep.grid().isEmpty()) {
            throw new InvalidConfigException("sweep.grid must list at least one train key with values, e.g. "
                    + "sweep.grid { l2 = [1e-4, 1e-3] }, got {}");
        }
        List<GridPoint> expanded = RandomSearch.candidates(config.source(), sweep);
        List<GridPoint> namedCurvePoints = Grid.learningCurvePoints(config.source(), expanded, config.learningCurve());
        // Transfer sources are loaded and checked before anything is claimed or trained.
        Transfers transfers = Transfers.load(storage, config.data().shape(),
                expanded.stream().map(GridPoint::train).toList());
        boolean transferring = !transfers.provenance().isEmpty();
        List<GridPoint> points = expanded.stream()
                .map(p -> p.resolved(transfers.resolve(p.train()), transferring)).toList();
        List<GridPoint> curvePoints = namedCurvePoints.stream()
                .map(c -> points.stream().filter(p -> p.id().equals(c.id())).findFirst().orElseThrow()).toList();
        RunLayout layout = RunDirectory.claim(storage, config.run(), true);
        RunGuard guard = new RunGuard(sc);
        this.guard = guard;
        try (RunLock lock = RunLock.acquire(storage, layout.lockFile(), config.run().lockStaleSeconds(),
                why -> guard.stop(RunLock.lostException(layout.lockFile(), why)))) {
            if (!prepare(layout, transfers)) {
                return Optional.empty();
            }
            return Optional.of(recorded(layout, guard, lock, points, curvePoints, transfers));
        }
    }

    /** Decides between a new run, a resume and "already finished"; false when there is nothing to do. */
    private boolean prepare(RunLayout layout, Transfers transfers) {
        Optional<RunRecord> previous;
        try {
            previous = RunDirectory.previousRun(storage, layout);
        } catch (UnreadableRunException e) {
            if (!force) {
                throw e;
            }
            Progress.line("--force: %s; clearing %s and running it again from scratch", e.getMessage().lines()
                    .findFirst().orElse(""), layout.runDir());
            RunDirectory.clear(storage, layout);
            previous = Optional.empty();
        }
        TrialStore trials = new TrialStore(storage, layout);
        if (previous.isPresent()) {
            RunRecord run = previous.get();
            List<String> differences = ConfigDiff.between(
                    ConfigFactory.parseString(run.config().toString()), config.source());
            if (!differences.isEmpty()) {
                throw new InvalidConfigException("run " + layout.runId() + " in " + layout.runDir()
                        + " was started with another configuration; resume it with the same one, or choose "
                        + "another --run-id. Differences:\n    " + String.join("\n    ", differences));
            }
            if (force) {
                Progress.line("--force: running %s again from scratch", layout.runId());
                RunDirectory.clear(storage, layout);
            } else if (run.status() == RunState.FINISHED) {
                if (!storage.exists(layout.report().index())) {
                    // Killed while drawing its report: the results are complete, only the page is missing.
                    Progress.line("run %s already finished (%s), but its report is missing; writing it",
                            layout.runId(), run.finished().map(Object::toString).orElse("?"));
                    onEnd.accept(layout);
                    return false;
                }
                Progress.line("run %s already finished (%s); nothing to do. --force runs it again.", layout.runId(),
                        run.finished().map(Object::toString).orElse("?"));
                return false;
            } else if (run.provenance().resultsVersion() != Provenance.RESULTS_VERSION) {
                throw new FoldwiseException(FoldwiseException.USAGE, "run " + layout.runId() + " in " + layout.runDir()
                        + " was written by a Foldwise that trains trials differently (results version "
                        + run.provenance().resultsVersion() + ", this one " + Provenance.RESULTS_VERSION + "); its "
                        + "committed trials cannot be mixed with new ones. Run it again from scratch with --force, or "
                        + "choose another --run-id.");
            } else {
                checkSameSources(layout, run, transfers);
                Progress.line("resuming run %s: %d trial(s) already committed are kept", layout.runId(),
                        trials.doneCount());
                resumed = previous;
            }
        }
        trials.discardStaging();
        return true;
    }

    /** The sweep inside run.json's lifecycle (running, then finished, failed or interrupted). */
    private Result recorded(RunLayout layout, RunGuard guard, RunLock lock, List<GridPoint> points,
                       List<GridPoint> curvePoints, Transfers transfers) {
        long start = System.nanoTime();
        Result result = JobRecord.run(spark, storage, layout, "sweep", config, resumed.flatMap(RunRecord::data),
                transfers.provenance(), guard, lock::close, onEnd,
                data -> ingested(layout, guard, points, curvePoints, transfers, data));
        Progress.line("done in %s: chosen %s, CV %s %s; test accuracy %.4f", Progress.clock(
                        (System.nanoTime() - start) / 1e9), result.selection().point().label(),
                config.sweep().metric().configName(), result.selection().row().metric().format(),
                result.test().accuracy());
        return result;
    }

    /** The sweep on the ingested training data, released when it ends. */
    private Result ingested(RunLayout layout, RunGuard guard, List<GridPoint> points, List<GridPoint> curvePoints,
                            Transfers transfers, JobRecord.Facts data) {
        pause.at("ingest");
        try (LabeledImages images = Ingestor.readTrain(spark, config.data(), config.ingest())) {
            return sweep(layout, guard, points, curvePoints, transfers, data, images);
        }
    }

    /**
     * The sweep's main flow: hold out the test set, prepare the folds, cross-validate, choose,
     * learning curves, diagnosis, refit, and only then the one evaluation on the test set.
     */
    private Result sweep(RunLayout layout, RunGuard guard, List<GridPoint> points, List<GridPoint> curvePoints,
                         Transfers transfers, JobRecord.Facts data, LabeledImages images) {
        // With no separate test set, hold one out now; it stays unread until after the refit.
        Dataset<Row> trainRows = images.frame();
        Optional<Dataset<Row>> heldOutTest = Optional.empty();
        if (config.data().test().isEmpty()) {
            Split split = Splits.holdout(trainRows, config.data().testFraction(), config.sweep().seed());
            trainRows = split.train();
            heldOutTest = Optional.of(split.heldOut());
        }
        // The test set's path, format, shape and classes are checked now (before the folds' shards are
        // written), not after every trial.
        Ingestor.checkTest(spark, config.data(), config.ingest(), images.labelNames());
        RepeatedFolds folds = RepeatedFolds.prepare(sc, storage, layout, trainRows, config);
        try {
            checkSameData(layout, images.fingerprint());
            data.read(images);
            data.update(f -> f.withTrainCount(folds.rowCount()));
            previewAugmentation(layout, points, trainRows, data);
            List<String> labels = images.labelNames();
            if (config.sweep().metric().twoClassOnly() && labels.size() != 2) {
                throw new InvalidConfigException("sweep.metric = " + config.sweep().metric().configName() + " is "
                        + "defined for two classes (the positive class's "
                        + (config.sweep().metric() == SelectionMetric.F1 ? "F1" : "AUC-PR") + "), but the training data "
                        + "has " + labels.size() + " classes " + labels + "; use f1_macro, or make two classes with "
                        + "data.classes");
            }
            Fitter fitter = new Fitter(sc, storage, config.data().shape(), labels, config.data().classes(), transfers)
                    .withClassCounts(images.classCounts());
            Trials trials = trials(layout, folds, points, labels, transfers, fitter, guard);

            CrossValidation cv = config.sweep().schedule() == Schedule.HALVING ? successiveHalving(trials, points)
                    : crossValidate(trials, points);
            List<TrialResult> results = new ArrayList<>(cv.results());
            Leaderboard leaderboard = Leaderboard.of(points, results, config.sweep().metric())
                    .withStopped(stoppedWithin(trials.budget(), cv, points));
            Progress.line("cross-validation spent %d trial-epochs (%s)", cv.trialEpochs(),
                    config.sweep().schedule() == Schedule.HALVING ? "successive halving" : "every point in full");
            Selection selection = choose(layout, leaderboard, trials.parameterCounts(), trials.budget());
            // best/ is built in a staging directory and committed whole after the test evaluation.
            RunLayout bestStaged = layout.stagingBest(UUID.randomUUID().toString());
            Optional<Double> threshold = errorAnalysis(layout, bestStaged, selection.point(), labels, trainRows);
            List<LearningCurve> curves = trials.budget().hit() ? List.of()
                    : learningCurves(layout, trials, points, curvePoints, selection, results);
            Diagnosis diagnosis = diagnose(layout, selection, curves);

            // Refit on all training data, then — only now — read the test set once.
            TrainedModel refit = refit(layout, bestStaged, selection, folds.repeat(0), folds.rowCount(), labels,
                    fitter, transfers);
            threshold.ifPresent(t -> ModelFiles.writeLabels(storage, bestStaged,
                    new ModelLabels(labels, config.data().classes()).withThreshold(t)));
            listener.refitFinished();
            Evaluation test = test(bestStaged, heldOutTest, labels, selection.point().train(), refit, threshold);
            guard.commit(() -> storage.commitDirectory(bestStaged.runDir(), layout.best().runDir()));
            listener.tested(test);
            data.update(f -> f.withTest(test.toJson()));
            Progress.line("test (read once, after selection and refit): accuracy %.4f, loss %.4f, macro F1 %.4f "
                    + "on %d images", test.accuracy(), test.dataLoss(), test.macroF1(), test.count());
            return new Result(layout, leaderboard, selection, diagnosis, test);
        } finally {
            // A stopped sweep leaves its scratch shards: after a takeover they may be the new owner's
            // (the next attempt deletes what an interrupted one left).
            if (guard.stopped().isEmpty()) {
                folds.close();
            }
        }
    }

    /**
     * Refuses to resume a run whose training data changed since it started (its committed trials
     * were trained on the old data) unless allowed; fingerprints of another format are not compared.
     */
    private void checkSameData(RunLayout layout, String fingerprint) {
        Optional<String> before = resumed.flatMap(RunRecord::data).map(DataFacts::fingerprint);
        if (before.isEmpty() || !Fingerprint.changed(before.get(), fingerprint)) {
            return;
        }
        if (!allowDataChange) {
            throw new FoldwiseException(FoldwiseException.USAGE, "the training data (data.train " + config.data().train()
                    + ") changed since run " + layout.runId() + " started: fingerprint " + before.get() + ", now "
                    + fingerprint + " (files added, removed or edited); its committed trials were trained on the old "
                    + "data. Resume anyway with --allow-data-change (old and new trials mix), run it again from "
                    + "scratch with --force, or choose another --run-id.");
        }
        Progress.line("--allow-data-change: the training data changed since run %s started (fingerprint %s, now %s); "
                + "resuming with its committed trials", layout.runId(), before.get(), fingerprint);
    }

    /**
     * Refuses to resume a run whose transfer source is no longer the model it started from (the same
     * {@code train.transfer.from}, another model.zip there): its committed trials were trained from
     * the old one. {@code --force} runs it again from scratch instead.
     */
    private void checkSameSources(RunLayout layout, RunRecord run, Transfers transfers) {
        for (TransferSource before : run.transferSources()) {
            Optional<TransferSource> now = transfers.provenance().stream()
                    .filter(t -> t.from().equals(before.from())).findFirst();
            if (now.isPresent() && before.changedIn(now.get())) {
                throw new FoldwiseException(FoldwiseException.USAGE, Transfers.KEY + " " + before.from()
                        + ": the source model changed since run " + layout.runId() + " started: it started from "
                        + before.uri() + " (" + before.identity() + "), which is now " + now.get().uri() + " ("
                        + now.get().identity() + "); its committed trials were trained from the old model. Run it "
                        + "again from scratch with --force, restore the old model there, or choose another --run-id.");
            }
        }
    }

    /** How trials run: the runner, the scheduler, and each point's parameter count (cost and ties). */
    private record Trials(TrialRunner runner, TrialScheduler scheduler, Map<String, Long> parameterCounts) {
        TrialBudget budget() {
            return scheduler.budget();
        }
    }

    /**
     * The candidates not to choose from: those halving stopped and, when the trial or time budget was
     * hit, every point that did not complete all its folds (they keep their partial mean).
     */
    private Map<String, Halving.Stop> stoppedWithin(TrialBudget budget, CrossValidation cv, List<GridPoint> points) {
        Map<String, Halving.Stop> stopped = new LinkedHashMap<>(cv.stopped());
        if (!budget.hit()) {
            return stopped;
        }
        Progress.line("%s; selecting among the points that completed all %d folds", budget.describe(),
                config.sweep().foldsPerPoint());
        for (GridPoint p : points) {
            List<TrialResult> full = cv.results().stream().filter(r -> r.pointId().equals(p.id())
                    && r.epochs() == 0 && r.fraction() == 1.0).toList();
            if (!stopped.containsKey(p.id()) && full.size() < config.sweep().foldsPerPoint()) {
                stopped.put(p.id(), new Halving.Stop(cv.rungs() - 1, full.size(), p.train().epochs(), Stat.of(
                        full.stream().filter(TrialResult::usable).map(r -> r.metric(config.sweep().metric())).toList())));
            }
        }
        return stopped;
    }

    private Trials trials(RunLayout layout, RepeatedFolds folds, List<GridPoint> points, List<String> labels,
                          Transfers transfers, Fitter fitter, RunGuard guard) {
        SweepConfig sweep = config.sweep();
        int parallel = sweep.parallelTrials() > 0 ? sweep.parallelTrials() : sc.defaultParallelism();
        transfers.provenance().forEach(t -> Progress.line("transfer source %s: %s, %s, classes %s, %s",
                t.from(), t.uri(), t.identity(), t.labels(), t.architecture()));
        TrialRunner runner = new TrialRunner(storage, layout, folds.all(), fitter, config.augment(), guard, pause);
        Map<String, Long> parameterCounts = new LinkedHashMap<>();
        for (GridPoint p : points) {
            // Trainable parameters: a transfer point's frozen layers fit nothing to this data.
            parameterCounts.put(p.id(), transfers.trainableParameters(p.train(), labels.size()));
        }
        WorkerRule rule = WorkerRule.of(points.get(0).train(), config.data().shape(), labels.size(),
                folds.repeat(0).rowsPer(sweep.folds() - 1, false));
        String plan = sweep.schedule() == Schedule.HALVING
                ? String.format(Locale.ROOT, "%d candidates by successive halving in %d rung(s)", points.size(),
                        Halving.Plan.of(sweep, points).rungs())
                : String.format(Locale.ROOT, "%d %s x %d folds%s = %d trials", points.size(),
                        sweep.search() == SearchStrategy.RANDOM ? "random points" : "grid points", sweep.folds(),
                        sweep.repeats() > 1 ? " x " + sweep.repeats() + " repeats" : "",
                        TrialSpec.crossValidation(points, sweep).size());
        Progress.line("%d training images in %d classes; %s, %d at a time (%s: %s)", folds.rowCount(), labels.size(),
                plan, parallel, points.get(0).label(), rule.reason());
        TrialBudget budget = new TrialBudget(sweep.maxTrials(), sweep.timeBudget());
        return new Trials(runner, new TrialScheduler(sc, parallel, sweep.failFast(), budget), parameterCounts);
    }

    /**
     * The chosen point's out-of-fold predictions, error files and (two classes) threshold, written into
     * {@code best} (best/'s staging directory). Out-of-fold means each training image once: the folds of
     * repeat 0 at the point's full epoch budget; further repeats are not pooled.
     */
    private Optional<Double> errorAnalysis(RunLayout layout, RunLayout best, GridPoint point, List<String> labels,
                                           Dataset<Row> trainRows) {
        SweepConfig sweep = config.sweep();
        ErrorFiles.OutOfFold oof = ErrorFiles.outOfFold(spark, storage, layout, best, point, sweep.folds(), labels,
                trainRows, sweep.threshold());
        if (!oof.missing().isEmpty()) {
            Progress.line("out-of-fold predictions: fold(s) %s of the chosen point have none (trials committed "
                    + "before predictions were recorded, or not trained at the full budget); error analysis covers "
                    + "the other folds", oof.missing());
        }
        oof.threshold().ifPresent(t -> Progress.line("threshold on p(%s): %.3f (%s; out-of-fold precision %.4f, "
                        + "recall %.4f, F1 %.4f)", labels.get(1), t.value(), sweep.threshold().optimise().configName(),
                t.chosenPoint().precision(), t.chosenPoint().recall(), t.chosenPoint().f1()));
        return oof.threshold().map(Threshold::value);
    }

    private void previewAugmentation(RunLayout layout, List<GridPoint> points, Dataset<Row> trainRows,
                                     JobRecord.Facts data) {
        if (points.stream().anyMatch(p -> p.augments(config.augment()))) {
            JobRecord.augmentPreview(storage, layout, trainRows, config.augment(), data);
            Progress.line("augment: %d copies of each training image in the training part of every fold "
                    + "(points that augment); preview %s", config.augment().copies(), layout.augmentPreviewPng());
        }
    }

    /**
     * What cross-validation trained: every trial's result, the candidates successive halving stopped
     * (and where), and the trial-epochs it spent (the sum of the trials' epoch budgets).
     */
    private record CrossValidation(List<TrialResult> results, Map<String, Halving.Stop> stopped, long trialEpochs,
                                   int rungs) {
    }

    /** Every grid point on every fold of every repeat. */
    private CrossValidation crossValidate(Trials trials, List<GridPoint> points) {
        SweepConfig sweep = config.sweep();
        List<TrialSpec> specs = TrialSpec.crossValidation(points, sweep);
        List<TrialResult> results = runTrials(trials, specs,
                new TrialProgress("trial", points, sweep.metric(), specs.size(), listener));
        return new CrossValidation(results, Map.of(), trialEpochs(specs), 1);
    }

    /**
     * Successive halving over folds and epochs: each rung trains the candidates still in on the rung's
     * folds for its epochs, then promotes the best 1/η; the last rung is full k-fold (every repeat)
     * for train.epochs. A trial a rung shares with an earlier one (same fold and epochs) is reused.
     */
    private CrossValidation successiveHalving(Trials trials, List<GridPoint> points) {
        SweepConfig sweep = config.sweep();
        HalvingConfig halving = sweep.halving();
        Halving.Plan plan = Halving.Plan.of(sweep, points);
        int rungs = plan.rungs();
        List<GridPoint> alive = points;
        Map<String, Halving.Stop> stopped = new LinkedHashMap<>();
        Map<TrialId, TrialResult> all = new LinkedHashMap<>();
        Set<TrialSpec> trained = new LinkedHashSet<>();
        int reached = 0;
        for (int i = 0; i < rungs; i++) {
            boolean last = plan.last(i);
            Map<GridPoint, Halving.Rung> budgets = new LinkedHashMap<>();
            List<TrialSpec> specs = new ArrayList<>();
            for (GridPoint p : alive) {
                budgets.put(p, plan.rung(i, p));
                specs.addAll(plan.specs(i, p));
            }
            List<TrialSpec> fresh = specs.stream().filter(s -> !all.containsKey(s.id())).toList();
            Progress.line("halving rung %d/%d: %d candidate(s) x %s = %d trial(s), %d new", i + 1, rungs, alive.size(),
                    budgets.values().stream().map(r -> r.folds() + " fold(s) x " + r.epochs() + " epoch(s)")
                            .distinct().collect(Collectors.joining(" / ")), specs.size(), fresh.size());
            runTrials(trials, fresh, new TrialProgress("rung " + i, points, sweep.metric(), fresh.size(), listener))
                    .forEach(r -> all.put(r.trialId(), r));
            trained.addAll(fresh);
            reached = i + 1;
            if (last) {
                break;
            }
            Map<String, Stat> means = new LinkedHashMap<>();
            for (GridPoint p : alive) {
                means.put(p.id(), Stat.of(specs.stream().filter(s -> s.point().equals(p)).map(s -> all.get(s.id()))
                        .filter(r -> r != null && r.usable()).map(r -> r.metric(sweep.metric())).toList()));
            }
            if (trials.budget().hit()) {
                // An unfinished rung promotes no one: the candidates still in stop here, unchosen.
                for (GridPoint p : alive) {
                    Halving.Rung r = budgets.get(p);
                    stopped.put(p.id(), new Halving.Stop(i, r.folds(), r.epochs(), means.get(p.id())));
                }
                break;
            }
            List<GridPoint> promoted = Halving.promote(alive, means, sweep.metric(), halving.eta(),
                    trials.parameterCounts());
            for (GridPoint p : alive) {
                if (!promoted.contains(p)) {
                    Halving.Rung r = budgets.get(p);
                    stopped.put(p.id(), new Halving.Stop(i, r.folds(), r.epochs(), means.get(p.id())));
                }
            }
            alive = promoted;
        }
        return new CrossValidation(List.copyOf(all.values()), stopped, trialEpochs(trained), reached);
    }

    private static long trialEpochs(Collection<TrialSpec> specs) {
        return specs.stream().mapToLong(s -> s.train().epochs()).sum();
    }

    /**
     * Selects by {@code sweep.select}, compares every point with the choice (corrected resampled
     * t-test), and writes leaderboard.csv and validation-curve.csv. The reason says when the trial or
     * time budget was hit.
     */
    private Selection choose(RunLayout layout, Leaderboard leaderboard, Map<String, Long> parameterCounts,
                             TrialBudget budget) {
        SweepConfig sweep = config.sweep();
        if (budget.hit() && leaderboard.rows().stream().noneMatch(Leaderboard.Row::choosable)) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, budget.describe() + " before any point completed "
                    + "all its folds" + (sweep.schedule() == Schedule.HALVING ? " (the last halving rung)" : "")
                    + ", so there is nothing to choose from yet. The committed trials are kept: re-issue the sweep "
                    + "with the same run id and a larger sweep.maxTrials or sweep.timeBudget (or none) to resume.");
        }
        Selection selection = Selector.select(leaderboard, parameterCounts, sweep.select());
        if (budget.hit()) {
            selection = new Selection(selection.index(), selection.row(), selection.tied(), selection.reason()
                    + "; " + budget.describe() + ", so the choice is among the points that completed all folds; "
                    + "re-issue the sweep (with a larger budget) to train the rest");
        }
        Leaderboard compared = leaderboard.comparedWith(selection.index(), CorrectedTTest.kFoldRatio(sweep.folds()));
        OptionalInt best = OptionalInt.of(selection.index());
        guard.commit(() -> storage.writeString(layout.leaderboardCsv(), compared.toCsv(best)));
        Progress.line("leaderboard (%s, mean ± std over %d folds%s; chosen - this: mean difference over shared folds, "
                        + "p from the corrected resampled t-test):%n%s", sweep.metric().configName(), sweep.folds(),
                sweep.repeats() > 1 ? " x " + sweep.repeats() + " repeats" : "", compared.toTable(best));
        Progress.line("chosen: %s (%s)", selection.point().label(), selection.reason());
        listener.selected(selection);
        Selection chosen = selection;
        guard.commit(() -> storage.writeString(layout.validationCurveCsv(),
                ValidationCurve.of(leaderboard, chosen.point()).toCsv()));
        return selection;
    }

    /** Learning curves of the chosen point (and any listed), on repeat 0's folds, through the same scheduler. */
    private List<LearningCurve> learningCurves(RunLayout layout, Trials trials, List<GridPoint> points,
                                               List<GridPoint> curvePoints, Selection selection,
                                               List<TrialResult> results) {
        List<GridPoint> lcPoints = new ArrayList<>(List.of(selection.point()));
        curvePoints.stream().filter(p -> !lcPoints.contains(p)).forEach(lcPoints::add);
        List<TrialSpec> lcSpecs = TrialSpec.learningCurve(lcPoints, config.learningCurve().fractions(),
                config.sweep().folds()).stream()
                .filter(s -> results.stream().noneMatch(r -> r.trialId().equals(s.id()))).toList();
        results.addAll(runTrials(trials, lcSpecs,
                new TrialProgress("curve", points, config.sweep().metric(), lcSpecs.size(), listener)));
        List<LearningCurve> curves = config.learningCurve().fractions().isEmpty() ? List.of()
                : lcPoints.stream().map(p -> LearningCurve.of(p, results)).toList();
        if (!curves.isEmpty()) {
            guard.commit(() -> storage.writeString(layout.learningCurveCsv(), LearningCurve.toCsv(curves)));
        }
        return curves;
    }

    private Diagnosis diagnose(RunLayout layout, Selection selection, List<LearningCurve> curves) {
        Diagnosis diagnosis = Diagnosis.of(selection.row(), config.diagnosis(), curves.stream().findFirst());
        guard.commit(() -> storage.writeString(layout.diagnosisJson(), Json.render(diagnosis.toJson())));
        diagnosis.lines().forEach(l -> Progress.line("%s", l));
        return diagnosis;
    }

    /** Runs the specs not committed yet, the most expensive first so that no core idles at the end. */
    private List<TrialResult> runTrials(Trials trials, List<TrialSpec> specs, TrialProgress progress) {
        List<TrialSpec> todo = new ArrayList<>();
        List<TrialResult> done = new ArrayList<>();
        for (TrialSpec s : specs) {
            Optional<TrialResult> committed = trials.runner().committed(s);
            if (committed.isPresent()) {
                done.add(committed.get());
                progress.resumed(committed.get());
            } else {
                todo.add(s);
            }
        }
        todo.sort(Comparator.comparingDouble((TrialSpec s) -> -trials.runner().cost(s,
                trials.parameterCounts().get(s.point().id()))));
        done.addAll(trials.scheduler().runAll(todo, trials.runner()::run, progress::finished));
        return done;
    }

    /** Refits the chosen point into {@code best} (best/'s staging directory). */
    private TrainedModel refit(RunLayout layout, RunLayout best, Selection selection, TrainingShards shards,
                               long trainCount, List<String> labels, Fitter fitter, Transfers transfers) {
        pause.at("refit");
        RefitEpochs epochs = RefitEpochs.of(selection.point().train(), stopPoints(layout, selection.point()));
        TrainConfig train = selection.point().train().withEpochs(epochs.epochs(), EarlyStopping.OFF);
        boolean augmented = selection.point().augments(config.augment());
        Progress.line("refit %s on all %d training images for %d epoch(s): %s", selection.point().label(), trainCount,
                epochs.epochs(), epochs.reason());
        TrainedModel model = fitter.fit("refit", train, new Fitter.Data(shards.all(augmented), 1.0, null,
                        shards.rowsPer(shards.groups(), augmented)), best.curveCsv(), Optional.of(best),
                layout.exportDir("refit", train.exportDir()), layout.checkpointDir("refit"), true,
                e -> Progress.line("refit epoch %d: train loss %.4f acc %.4f", e.epoch(), e.trainLoss(),
                        e.trainAccuracy()));
        storage.writeString(best.paramsJson(), Json.render(BestParams.of(selection, model.network().numParams(),
                labels, transfers.provenance(train), epochs).toJson()));
        storage.delete(layout.checkpointDir("refit"));
        return model;
    }

    /** Where each committed full-fold trial of {@code point}, in every repeat, stopped (from its metrics.json). */
    private List<StopPoint> stopPoints(RunLayout layout, GridPoint point) {
        TrialStore trials = new TrialStore(storage, layout);
        List<StopPoint> out = new ArrayList<>();
        for (int r = 0; r < config.sweep().repeats(); r++) {
            for (int f = 0; f < config.sweep().folds(); f++) {
                trials.doneMetrics(new TrialSpec(point, r, f, 1.0).id().value())
                        .ifPresent(m -> out.add(TrialMetrics.fromJson(m).stop()));
            }
        }
        return out;
    }

    /** The one place the test set is read. Runs after selection and refit, by construction of {@link #sweep}. */
    private Evaluation test(RunLayout best, Optional<Dataset<Row>> heldOut, List<String> labels, TrainConfig train,
                            TrainedModel refit, Optional<Double> threshold) {
        listener.testSetRead();
        Evaluation test;
        Optional<Evaluation>[] atThreshold = new Optional[] {Optional.empty()};
        if (heldOut.isPresent()) {
            test = evaluate(refit, heldOut.get(), labels, train, best.testPredictionsCsv(), threshold,
                    atThreshold);
        } else {
            try (LabeledImages images = Ingestor.readTest(spark, config.data(), config.ingest(), labels)) {
                test = evaluate(refit, images.frame(), labels, train, best.testPredictionsCsv(), threshold,
                        atThreshold);
            }
        }
        ObjectNode metrics = test.toJson();
        if (threshold.isPresent() && atThreshold[0].isPresent()) {
            Evaluation at = atThreshold[0].get();
            metrics.put(TestThreshold.THRESHOLD, threshold.get());
            metrics.set(TestThreshold.AT_THRESHOLD, at.toJson());
            Progress.line("test at threshold %.3f: accuracy %.4f, precision %.4f, recall %.4f, F1 %.4f of %s",
                    threshold.get(), at.accuracy(), at.precision(1), at.recall(1), at.f1(1), labels.get(1));
        }
        storage.writeString(best.testMetricsJson(), Json.render(metrics));
        storage.writeString(best.confusionCsv(), test.confusionCsv());
        return test;
    }

    /** The test metrics, after writing every test image's prediction to {@code predictionsCsv} (Spark work). */
    private Evaluation evaluate(TrainedModel model, Dataset<Row> rows, List<String> labels, TrainConfig train,
                                Path predictionsCsv, Optional<Double> threshold, Optional<Evaluation>[] atThreshold) {
        Evaluation at05 = Evaluator.evaluate(sc, model.network(), Tensorizer.batches(rows, config.data().shape(),
                labels.size(), train.batchSize(), sc.defaultParallelism(), train.seed()), labels);
        Predictor.predictions(sc, model.network(), rows, config.data().shape(), labels, true, train.batchSize(),
                frame -> {
                    Dataset<Row> cached = frame.persist(StorageLevel.MEMORY_AND_DISK_SER());
                    try {
                        ErrorFiles.writeCsv(storage, cached.orderBy("id"), predictionsCsv);
                        threshold.ifPresent(t -> atThreshold[0] = Optional.of(
                                TestThreshold.evaluate(cached, labels, t, at05.dataLoss())));
                    } finally {
                        cached.unpersist(false);
                    }
                });
        return at05;
    }
}
