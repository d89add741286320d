package io.foldwise.cli;

import io.foldwise.FoldwiseException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code foldwise} command line. Exit codes: 0 ok, 1 runtime failure, 2 usage or config, 3 data;
 * a sweep or train stopped by SIGINT exits 130, by SIGTERM 143 (after marking run.json interrupted).
 */
@Command(name = "foldwise", mixinStandardHelpOptions = true, version = "foldwise 0.1.0",
        description = "Cross-validated model selection for Deeplearning4j networks on Apache Spark.",
        subcommands = {TrainCommand.class, SweepCommand.class, ReportCommand.class, StatusCommand.class,
            PredictCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failure while running, 2 bad usage or config, 3 bad input data, "
                + "130 interrupted (SIGINT), 143 terminated (SIGTERM)."})
public final class Main {
    private Main() {
    }

    /** Runs a command and returns its exit code (no System.exit; tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::handle);
        try {
            return cli.execute(args);
        } catch (Error e) {
            // An OutOfMemoryError or another Error ends the command with exit 1 and a message
            // (picocli passes only exceptions to the handler).
            PrintWriter err = cli.getErr();
            err.println("foldwise: failed: " + FoldwiseException.errorMessage(e));
            err.flush();
            return FoldwiseException.RUNTIME;
        }
    }

    public static void main(String[] args) {
        int code = run(args);
        // Spark's non-daemon threads would keep the JVM alive after a failure.
        System.exit(code);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof FoldwiseException f) {
            err.println("foldwise: " + f.getMessage());
            err.flush();
            return f.exitCode();
        }
        err.println("foldwise: failed: " + e);
        e.printStackTrace(err);
        err.flush();
        return FoldwiseException.RUNTIME;
    }
}
