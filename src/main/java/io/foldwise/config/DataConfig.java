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
 * @param columns       column names for parquet and table
 * @param classes       which source classes are used and under which names ({@link ClassMap})
 * @param limitPerClass keep at most this many images of each class, training and test (0 = all),
 *                      chosen by a hash of (sampleSeed, id)
 * @param sampleSeed    seeds limitPerClass's choice (sweep.seed)
 * @param positiveClass the positive class of a two-class problem (label 1); empty: the one sorting second
 */
public record DataConfig(DataFormat format, String train, Optional<String> trainLabels,
                         Optional<String> test, Optional<String> testLabels,
                         double testFraction, long limit, ImageShape shape, DataColumns columns, ClassMap classes,
                         long limitPerClass, long sampleSeed, Optional<String> positiveClass) {
    /** Named columns (table input), every class, no per-class limit. */
    public DataConfig(DataFormat format, String train, Optional<String> trainLabels, Optional<String> test,
                      Optional<String> testLabels, double testFraction, long limit, ImageShape shape,
                      DataColumns columns) {
        this(format, train, trainLabels, test, testLabels, testFraction, limit, shape, columns, ClassMap.ALL, 0, 0,
                Optional.empty());
    }

    /** Selected classes and a per-class limit, default column names, no positive class named. */
    public DataConfig(DataFormat format, String train, Optional<String> trainLabels, Optional<String> test,
                      Optional<String> testLabels, double testFraction, long limit, ImageShape shape, ClassMap classes,
                      long limitPerClass, long sampleSeed) {
        this(format, train, trainLabels, test, testLabels, testFraction, limit, shape, DataColumns.DEFAULT, classes,
                limitPerClass, sampleSeed, Optional.empty());
    }

    /** Selected classes, a per-class limit and a positive class, default column names. */
    public DataConfig(DataFormat format, String train, Optional<String> trainLabels, Optional<String> test,
                      Optional<String> testLabels, double testFraction, long limit, ImageShape shape, ClassMap classes,
                      long limitPerClass, long sampleSeed, Optional<String> positiveClass) {
        this(format, train, trainLabels, test, testLabels, testFraction, limit, shape, DataColumns.DEFAULT, classes,
                limitPerClass, sampleSeed, positiveClass);
    }

    /** Every class, no per-class limit, default column names. */
    public DataConfig(DataFormat format, String train, Optional<String> trainLabels, Optional<String> test,
                      Optional<String> testLabels, double testFraction, long limit, ImageShape shape) {
        this(format, train, trainLabels, test, testLabels, testFraction, limit, shape, DataColumns.DEFAULT,
                ClassMap.ALL, 0, 0, Optional.empty());
    }

    public DataConfig {
        Objects.requireNonNull(columns, "columns");
        Problems p = new Problems();
        p.check(classes != null, "data.classes", "be a list of class names or an object of source → class", "nothing");
        p.check(limitPerClass >= 0, "data.limitPerClass", "be >= 0 (0 = all)", limitPerClass);
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
}
