package io.foldwise.store;

import org.apache.hadoop.fs.Path;

/**
 * The one definition of where a run's files live. Writers and readers (report, status, resume)
 * both build paths here and nowhere else.
 *
 * <pre>
 * &lt;output&gt;/&lt;run-id&gt;/
 *   run.json  curve.csv  metrics.json  model.zip  labels.json      (train)
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

    public Path reportDir() {
        return new Path(runDir, "report");
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
    public Path exportDir(String jobId, java.util.Optional<String> configuredRoot) {
        return configuredRoot.map(root -> new Path(new Path(root), runId() + "-" + jobId))
                .orElseGet(() -> exportDir(jobId));
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
