package io.foldwise;

import io.foldwise.train.SparkSessions;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The one shared local[2] SparkSession of a test JVM, and paths to the committed sample. */
public final class TestSpark {
    private TestSpark() {
    }

    /** Created on first use; Spark stops it when the JVM exits. */
    public static SparkSession session() {
        return Holder.SESSION;
    }

    /** The project root (Surefire passes it; falls back to the working directory). */
    public static Path projectDir() {
        return Path.of(System.getProperty("foldwise.projectDir", ".")).toAbsolutePath().normalize();
    }

    /** data/mnist-sample/{train,test}. */
    public static Path sample(String split) {
        return projectDir().resolve("data/mnist-sample").resolve(split);
    }

    private static final class Holder {
        static final SparkSession SESSION;

        static {
            System.setProperty("spark.ui.enabled", "false");
            SESSION = SparkSessions.getOrCreate("local[2]");
            SESSION.sparkContext().setLogLevel("WARN");
        }
    }
}
