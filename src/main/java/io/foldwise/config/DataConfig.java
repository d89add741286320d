package io.foldwise.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the data is and what shape it has.
 *
 * @param format       folders, idx, parquet or table
 * @param train        training data: an image root (folders), an IDX images file, Parquet files or a table
 * @param trainLabels  IDX labels file for {@code train} (idx only)
 * @param test         test data, read once after selection; empty to hold out {@code testFraction}
 * @param testLabels   IDX labels file for {@code test} (idx only)
 * @param testFraction fraction of the training data held out as the test set when {@code test} is empty
 * @param limit        use only the first {@code limit} training images (0 = all)
 * @param shape        the input shape every image must have
 * @param columns      column names for parquet and table
 */
public record DataConfig(DataFormat format, String train, Optional<String> trainLabels,
                         Optional<String> test, Optional<String> testLabels,
                         double testFraction, long limit, ImageShape shape, DataColumns columns) {
    public DataConfig {
        Objects.requireNonNull(columns, "columns");
        Problems p = new Problems();
        p.check(train != null && !train.isBlank(), "data.train", "name the training data path", "\"" + train + "\"");
        p.check(testFraction >= 0 && testFraction < 1, "data.testFraction", "be in [0, 1)", testFraction);
        p.check(test.isPresent() || testFraction > 0 || !(testFraction >= 0), "data.testFraction",
                "be > 0 when data.test is empty (the test set is then held out from the training data), or set "
                        + "data.test", testFraction);
        p.check(limit >= 0, "data.limit", "be >= 0 (0 = all)", limit);
        if (format == DataFormat.IDX) {
            p.check(trainLabels.isPresent(), "data.trainLabels", "name the IDX labels file when data.format = idx", "nothing");
            p.check(test.isEmpty() || testLabels.isPresent(), "data.testLabels",
                    "name the IDX labels file for data.test when data.format = idx", "nothing");
        }
        p.throwIfAny();
    }

    /** As before Parquet: the default column names. */
    public DataConfig(DataFormat format, String train, Optional<String> trainLabels, Optional<String> test,
                      Optional<String> testLabels, double testFraction, long limit, ImageShape shape) {
        this(format, train, trainLabels, test, testLabels, testFraction, limit, shape, DataColumns.DEFAULT);
    }
}
