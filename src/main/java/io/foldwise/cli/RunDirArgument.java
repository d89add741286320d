package io.foldwise.cli;

import io.foldwise.FoldwiseException;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** A run directory given on the command line (a local path or a Hadoop URI), read without Spark. */
final class RunDirArgument {
    private RunDirArgument() {
    }

    /** Storage on a plain Hadoop configuration: enough for file://, and hdfs:// or s3a:// with full URIs. */
    static Storage storage() {
        return new Storage(new Configuration());
    }

    /** The layout of {@code dir}, qualified. */
    static RunLayout layout(Storage storage, String dir) {
        try {
            return new RunLayout(storage.qualify(new Path(dir)));
        } catch (IllegalArgumentException e) {
            throw new FoldwiseException(FoldwiseException.USAGE, dir + " is not a valid path or URI ("
                    + e.getMessage() + "); pass a run directory such as runs/20261129-104128", e);
        }
    }
}
