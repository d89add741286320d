package io.foldwise.store;

import io.foldwise.FoldwiseException;

/**
 * A run directory whose run.json cannot be read (truncated, not JSON), or that an interrupted
 * {@code --force} left half cleared. A usage error (exit 2); {@code sweep --force} clears it.
 */
public final class UnreadableRunException extends FoldwiseException {
    public UnreadableRunException(String message, Throwable cause) {
        super(USAGE, message, cause);
    }
}
