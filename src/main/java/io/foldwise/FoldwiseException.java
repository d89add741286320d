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

    public int exitCode() {
        return exitCode;
    }
}
