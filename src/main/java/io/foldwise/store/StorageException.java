package io.foldwise.store;

import io.foldwise.FoldwiseException;

/**
 * The run's storage failed (disk full, permission lost, store unreachable) while writing or
 * committing a file. Not a fault of the trial being trained: the sweep stops with exit 1 instead of
 * recording the point as failed, and a re-issued command resumes once the storage is fixed.
 */
public final class StorageException extends FoldwiseException {
    public StorageException(String action, Object path, Throwable cause) {
        super(RUNTIME, "storage failed " + action + " " + path + ": " + (cause == null ? "?" : cause.getMessage())
                + "; fix the storage (free space, permissions) and re-issue the command: committed trials are "
                + "kept and the rest resume", cause);
    }

    /** The storage failure in {@code e}'s causes (a Spark task wraps the executor's), if any. */
    public static java.util.Optional<StorageException> in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException s) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
