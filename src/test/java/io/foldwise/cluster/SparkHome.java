package io.foldwise.cluster;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A SPARK_HOME laid out from Spark's own Maven jars by src/test/spark-home/make-spark-home.sh
 * ({@code jars/}, {@code RELEASE}, {@code conf/}, {@code bin/spark-submit}), with the Maven that runs
 * the build.
 */
final class SparkHome {
    private SparkHome() {
    }

    static Path create(Path dir) throws IOException, InterruptedException {
        Path script = TestSpark.projectDir().resolve("src/test/spark-home/make-spark-home.sh");
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", script.toString(), dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolveSibling("make-spark-home.log").toFile());
        String mavenHome = System.getProperty("maven.home");
        if (mavenHome != null && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))) {
            pb.environment().put("MVN", Path.of(mavenHome, "bin", "mvn").toString());
        }
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException("laying out SPARK_HOME failed: "
                    + Files.readString(dir.resolveSibling("make-spark-home.log")));
        }
        return dir;
    }
}
