package io.foldwise.store;

import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * The one definition of where a run's files live. Writers and readers (report, status, resume)
 * both build paths here and nowhere else.
 *
 * <pre>
 * &lt;output&gt;/&lt;run-id&gt;/
 *   run.json  curve.csv  metrics.json  model.zip  labels.json      (train)
 *   _lock                                                      (held while a sweep runs)
 *   augment-preview.png                                        (runs that augment)
 *   trials/&lt;trial-id&gt;/{params.json, curve.csv, metrics.json, error.txt, _SUCCESS}
 *   leaderboard.csv  learning-curve.csv  validation-curve.csv  diagnosis.json
 *   best/{model.zip, params.json, labels.json, test-metrics.json, confusion.csv, curve.csv}
 *   report/index.html  report/*.png                            (see {@link ReportLayout})
 *   _work/                                                     (scratch, deleted when done)
 *   _work/checkpoints/&lt;fit&gt;/epoch-&lt;n&gt;.ckpt                     (until the fit's results are committed)
 * </pre>
 */
public record RunLayout(Path runDir) {

    public static RunLayout of(Path output, String runId) {
        return new RunLayout(new Path(output, runId));
    }

    public String runId() {
        return runDir.getName();
    }

    public Path runJson() {
        return new Path(runDir, "run.json");
    }

    public Path curveCsv() {
        return new Path(runDir, "curve.csv");
    }

    public Path metricsJson() {
        return new Path(runDir, "metrics.json");
    }

    public Path modelZip() {
        return new Path(runDir, "model.zip");
    }

    public Path labelsJson() {
        return new Path(runDir, "labels.json");
    }

    public Path trialsDir() {
        return new Path(runDir, "trials");
    }

    public TrialLayout trial(String trialId) {
        return new TrialLayout(new Path(trialsDir(), trialId));
    }

    public Path leaderboardCsv() {
        return new Path(runDir, "leaderboard.csv");
    }

    public Path learningCurveCsv() {
        return new Path(runDir, "learning-curve.csv");
    }

    public Path validationCurveCsv() {
        return new Path(runDir, "validation-curve.csv");
    }

    public Path diagnosisJson() {
        return new Path(runDir, "diagnosis.json");
    }

    /** The refit's output: best/{model.zip, params.json, test-metrics.json, confusion.csv}. */
    public RunLayout best() {
        return new RunLayout(new Path(runDir, "best"));
    }

    public Path paramsJson() {
        return new Path(runDir, "params.json");
    }

    public Path testMetricsJson() {
        return new Path(runDir, "test-metrics.json");
    }

    public Path confusionCsv() {
        return new Path(runDir, "confusion.csv");
    }

    /** Originals next to their augmented copies; written by every run that augments its training data. */
    public Path augmentPreviewPng() {
        return new Path(runDir, "augment-preview.png");
    }

    /** The chosen point's out-of-fold predictions: every training image, predicted by the fold model that held it out. */
    public Path oofPredictionsCsv() {
        return new Path(runDir, "oof-predictions.csv");
    }

    /** Two classes: the out-of-fold precision/recall curve over thresholds, the chosen one marked. */
    public Path prCurveCsv() {
        return new Path(runDir, "pr-curve.csv");
    }

    /** The refit's predictions of the test set. */
    public Path testPredictionsCsv() {
        return new Path(runDir, "test-predictions.csv");
    }

    /** Small PNGs of the images the error analysis shows, named by {@link #thumbnailName}. */
    public Path thumbnailsDir() {
        return new Path(runDir, "thumbnails");
    }

    /** A thumbnail's file name: a hash of the image id, as ids may hold any character. */
    public static String thumbnailName(String id) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h, 0, 10) + ".png";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path reportDir() {
        return new Path(runDir, "report");
    }

    /** Present while {@code --force} clears the run directory; an interrupted clear is finished by the next one. */
    public Path clearingMarker() {
        return new Path(runDir, "_clearing");
    }

    /** The lock a sweep holds on its run directory while it runs. */
    public Path lockFile() {
        return new Path(runDir, "_lock");
    }

    /**
     * Where a trial's files are written before the directory is renamed to {@link #trial}, so a
     * trial directory is never seen half-written. Names start with "_" so listings skip them.
     */
    public TrialLayout stagingTrial(String trialId, String attempt) {
        return new TrialLayout(new Path(trialsDir(), "_tmp-" + trialId + "-" + attempt));
    }

    /**
     * Where the refit writes {@link #best} before the directory is committed whole (see
     * {@link Storage#commitDirectory}).
     */
    public RunLayout stagingBest(String attempt) {
        return new RunLayout(new Path(runDir, "_tmp-best-" + attempt));
    }

    /** True for the names of staged or set-aside directories an interrupted commit may leave. */
    public static boolean leftover(String name) {
        return name.startsWith("_tmp-") || name.startsWith("_old-");
    }

    /** The HTML report and its charts. */
    public ReportLayout report() {
        return new ReportLayout(reportDir());
    }

    /** Scratch space (DL4J exports); deleted when the run ends. */
    public Path workDir() {
        return new Path(runDir, "_work");
    }

    /** Default DL4J export directory of one training job. */
    public Path exportDir(String jobId) {
        return new Path(new Path(workDir(), "export"), jobId);
    }

    /**
     * DL4J export directory of one training job: {@code <train.exportDir>/<run-id>-<job>} when
     * that key is set (so runs sharing it never collide), else {@link #exportDir(String)}.
     */
    public Path exportDir(String jobId, Optional<String> configuredRoot) {
        return configuredRoot.map(root -> new Path(new Path(root), runId() + "-" + jobId))
                .orElseGet(() -> exportDir(jobId));
    }

    /**
     * Checkpoints of one fit ({@code train.checkpointEvery}): a trial id, {@code refit} or
     * {@code train}. Under the scratch space, so a finished run leaves none; a killed one keeps them
     * for its resumption.
     */
    public Path checkpointDir(String fit) {
        return new Path(new Path(workDir(), "checkpoints"), fit);
    }

    /** The files of one trial. {@code _SUCCESS} is written last. */
    public record TrialLayout(Path dir) {
        /** The validation fold's predictions (id, label, predicted, p_&lt;class&gt;..., fold); absent in older runs. */
        public Path predictionsCsv() {
            return new Path(dir, "predictions.csv");
        }

        public Path paramsJson() {
            return new Path(dir, "params.json");
        }

        public Path curveCsv() {
            return new Path(dir, "curve.csv");
        }

        public Path metricsJson() {
            return new Path(dir, "metrics.json");
        }

        public Path errorTxt() {
            return new Path(dir, "error.txt");
        }

        public Path success() {
            return new Path(dir, "_SUCCESS");
        }
    }

    /**
     * The files of the HTML report: {@code index.html} and its PNG charts, all in one directory so
     * that the page links them by bare file name ({@link #link}).
     */
    public record ReportLayout(Path dir) {
        public Path index() {
            return new Path(dir, "index.html");
        }

        /** J_train and J_cv against λ for the architecture at {@code index} (curve order). */
        public Path validationCurve(int index) {
            return chart("validation-curve-" + index);
        }

        /** Learning curve of the {@code index}-th point of learning-curve.csv, as error rates. */
        public Path learningCurveError(int index) {
            return chart("learning-curve-error-" + index);
        }

        /** Learning curve of the {@code index}-th point of learning-curve.csv, as data losses. */
        public Path learningCurveLoss(int index) {
            return chart("learning-curve-loss-" + index);
        }

        /** Per-epoch losses of the chosen point's cross-validation folds. */
        public Path foldEpochs() {
            return chart("epochs-folds");
        }

        /** Per-epoch losses of the refit (sweep) or of the one network (train). */
        public Path refitEpochs() {
            return chart("epochs-refit");
        }

        /** Per-epoch accuracies of the one network (train). */
        public Path trainAccuracy() {
            return chart("epochs-accuracy");
        }

        /** Confusion matrix heat map (test set for a sweep, validation set for train). */
        public Path confusion() {
            return chart("confusion");
        }

        /** Two classes: the out-of-fold precision/recall curve. */
        public Path precisionRecall() {
            return chart("precision-recall");
        }

        private Path chart(String name) {
            return new Path(dir, name + CHART_SUFFIX);
        }

        private static final String CHART_SUFFIX = ".png";
        private static final Pattern CHART_NAME = Pattern.compile(
                "(validation-curve-\\d+|learning-curve-(error|loss)-\\d+|epochs-(folds|refit|accuracy)|confusion|precision-recall)\\.png");

        /** True for a file name this layout gives a chart (other files in the directory are not the report's). */
        public static boolean isChart(String fileName) {
            return CHART_NAME.matcher(fileName).matches();
        }

        /** How index.html links a file of this directory: its bare name. */
        public static String link(Path file) {
            return file.getName();
        }
    }
}
