package io.foldwise.ingest;

import io.foldwise.FoldwiseException;

/** Bad input data: a missing path, an unreadable or mis-shaped image, a malformed IDX file; exit code 3. */
public final class DataException extends FoldwiseException {
    public DataException(String message) {
        super(DATA, message);
    }

    public DataException(String message, Throwable cause) {
        super(DATA, message, cause);
    }
}
