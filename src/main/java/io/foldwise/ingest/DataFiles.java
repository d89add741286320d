package io.foldwise.ingest;

import io.foldwise.FoldwiseException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.sql.SparkSession;

/** Input paths through the Hadoop FileSystem API, with failures turned into messages that name the key and path. */
final class DataFiles {
    private DataFiles() {
    }

    /** A qualified path and its file system. */
    record Located(FileSystem fs, Path path) {
    }

    /** Resolves a configured location (local path or URI) against Spark's Hadoop configuration. */
    static Located locate(SparkSession spark, String key, String location) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path path;
        try {
            path = new Path(location);
        } catch (IllegalArgumentException e) {
            throw new DataException(key + " " + location + ": not a valid path or URI (" + e.getMessage()
                    + "); give a local path or a URI such as hdfs://namenode/data/train", e);
        }
        try {
            FileSystem fs = path.getFileSystem(conf);
            return new Located(fs, fs.makeQualified(path));
        } catch (IOException e) {
            throw failure(key, location, "cannot open its file system", e);
        }
    }

    /** The file's status, or a DataException saying nothing is there. */
    static FileStatus status(Located at, String key, String location, String expected) {
        try {
            return at.fs().getFileStatus(at.path());
        } catch (FileNotFoundException e) {
            throw new DataException(key + " " + location + ": no such file or directory (looked for "
                    + at.path() + "); " + expected, e);
        } catch (IOException e) {
            throw failure(key, location, "cannot read it", e);
        }
    }

    /**
     * An I/O failure on input data: missing, forbidden, unsupported or corrupt is the data's fault
     * (exit 3); anything else, such as a network error, is a runtime failure (exit 1).
     */
    static FoldwiseException failure(String key, String location, String what, IOException e) {
        String message = key + " " + location + ": " + what + ": " + e;
        if (e instanceof FileNotFoundException || e instanceof AccessDeniedException
                || e instanceof UnsupportedFileSystemException || e instanceof ZipException
                || e instanceof AccessControlException) {
            return new DataException(message + "; check the path, its scheme and its permissions", e);
        }
        return new FoldwiseException(FoldwiseException.RUNTIME, message, e);
    }

    /** Whether a directory directly holds {@code .parquet} files (Spark's output of a Parquet write). */
    static boolean holdsParquet(Located at, String key, String location) {
        try {
            for (FileStatus s : at.fs().listStatus(at.path())) {
                String name = s.getPath().getName();
                if (s.isFile() && !hidden(name) && name.endsWith(".parquet")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw failure(key, location, "cannot list it", e);
        }
    }

    /** Spark's file listing skips these ("_SUCCESS", ".DS_Store", ".git"); so do we. */
    static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }
}
