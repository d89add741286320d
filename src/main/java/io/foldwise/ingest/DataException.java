package io.foldwise.ingest;

import io.foldwise.FoldwiseException;
import java.util.List;
import java.util.Map;

/** Bad input data: a missing path, an unreadable or mis-shaped image, a malformed IDX file; exit code 3. */
public final class DataException extends FoldwiseException {
    public DataException(String message) {
        super(DATA, message);
    }

    public DataException(String message, Throwable cause) {
        super(DATA, message, cause);
    }

    /**
     * Labels of test or predict input that training did not have.
     *
     * @param source  how messages name the input, e.g. {@code data.testLabels /path}
     * @param where   what holds the labels, appended after the counts (e.g. {@code in column "label"}); may be empty
     * @param unknown image count per unknown label, in the order to name them
     */
    static DataException unknownLabels(String source, String where, Map<String, Long> unknown,
                                       List<String> trainLabelNames) {
        return new DataException(source + ": label" + (unknown.size() == 1 ? " " : "s ")
                + String.join(", ", unknown.keySet()) + " (" + unknown.values().stream().mapToLong(l -> l).sum()
                + " images)" + (where.isEmpty() ? "" : " " + where) + " " + (unknown.size() == 1 ? "is" : "are")
                + " not among the training classes " + trainLabelNames
                + "; the model cannot predict a class it was not trained on");
    }
}
