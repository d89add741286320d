package io.foldwise.store;

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
 *   report/index.html
 *   _work/                                                     (scratch, deleted when done)
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

    public Path reportDir() {
        return new Path(runDir, "report");
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

    /** Scratch space (DL4J exports); deleted when the run ends. */
    public Path workDir() {
        return new Path(runDir, "_work");
    }

    /** Default DL4J export directory of one training job. */
    public Path exportDir(String jobId) {
        return new Path(new Path(workDir(), "export"), jobId);
    }

    /** The files of one trial. {@code _SUCCESS} is written last. */
    public record TrialLayout(Path dir) {
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
}
