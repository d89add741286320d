package io.foldwise;

/**
 * A failure the user can act on. Its message names the key, file or value at fault and what
 * would fix it; {@link #exitCode()} is the process exit code the CLI reports for it.
 */
public class FoldwiseException extends RuntimeException {
    /** Exit code for a failure while running (training diverged, storage failed, ...). */
    public static final int RUNTIME = 1;
    /** Exit code for bad usage or configuration. */
    public static final int USAGE = 2;
    /** Exit code for bad input data. */
    public static final int DATA = 3;

    private final int exitCode;

    public FoldwiseException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public FoldwiseException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /**
     * The message an {@link Error} (not an exception) ends a command with: what it was and what to do.
     */
    public static String errorMessage(Error e) {
        return e + (e instanceof OutOfMemoryError
                ? "; give the driver more memory (spark.driver.memory, --driver-memory) or read less data at once"
                : "; a fault of the JVM or of a native library, see the log above");
    }

    public int exitCode() {
        return exitCode;
    }
}
