package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** Exit codes of the CLI for failures that happen before Spark starts. */
class MainTest {

    private static int runCapturing(ByteArrayOutputStream err, String... args) {
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            return Main.run(args);
        } finally {
            System.setErr(old);
        }
    }

    @Test
    void everyConfigProblemIsReportedAtOnceWithExitTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = runCapturing(err, "train", "--set", "train.epochs=0", "--set", "train.updater=rmsprop",
                "--set", "sweep.folds=1");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("train.epochs must be >= 1, got 0").contains("train.updater")
                .contains("adam | sgd");
    }

    @Test
    void missingConfFileIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(runCapturing(err, "train", "--conf", "/nonexistent/x.conf")).isEqualTo(2);
        assertThat(err.toString()).contains("/nonexistent/x.conf");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(runCapturing(new ByteArrayOutputStream(), "train", "--no-such-option")).isEqualTo(2);
    }

    @Test
    void helpDocumentsEveryOption() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            assertThat(Main.run("train", "--help")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString()).contains("--conf").contains("--set").contains("--output").contains("--master")
                .contains("--run-id");
    }
}
