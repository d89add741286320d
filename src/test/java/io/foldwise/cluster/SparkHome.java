package io.foldwise.cluster;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A SPARK_HOME laid out from Maven jars, as DESIGN gotcha 9 found sufficient: {@code jars/} with
 * Spark's own classpath (resolved from src/test/spark-home/pom.xml, apart from Foldwise's
 * dependencies, so the application jar must bring DL4J and ND4J itself), a {@code RELEASE} file
 * (without it the launcher looks for build directories), {@code conf/} and a {@code bin/spark-submit}
 * that, like the real one, lets Spark's launcher library build the driver's command line.
 */
final class SparkHome {
    private SparkHome() {
    }

    static Path create(Path dir) throws IOException, InterruptedException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (String jar : sparkClasspath(dir)) {
            Path source = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
        }
        Files.writeString(dir.resolve("RELEASE"), "Spark " + System.getProperty("spark.version")
                + " built for Hadoop (from Maven jars, by Foldwise's StandaloneClusterIT)\n");
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("log4j2.properties"), """
                rootLogger.level = warn
                rootLogger.appenderRef.stderr.ref = stderr
                appender.stderr.type = Console
                appender.stderr.name = stderr
                appender.stderr.target = SYSTEM_ERR
                appender.stderr.layout.type = PatternLayout
                appender.stderr.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n
                """);
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path submit = bin.resolve("spark-submit");
        Files.writeString(submit, """
                #!/usr/bin/env bash
                # Stand-in for Spark's bin/spark-submit (and bin/spark-class): Spark's launcher library prints
                # the driver's command (driver memory, --driver-java-options, Java 17 --add-opens, classpath)
                # NUL-separated, after any messages and a NUL-newline marker.
                set -euo pipefail
                export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
                export SPARK_SCALA_VERSION=2.12
                mapfile -d '' CMD < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \\
                  org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\\0' $?)
                rc="${CMD[-1]}"; unset 'CMD[-1]'
                [ -n "${CMD[0]:-}" ] && printf '%s\\n' "${CMD[0]}" >&2
                [ "$rc" = 0 ] || exit "$rc"
                CMD=("${CMD[@]:1}"); CMD[0]="${CMD[0]#$'\\n'}"
                exec "${CMD[@]}"
                """);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Spark's dependency closure, as the jar paths Maven resolves (versions from the project's pom). */
    private static List<String> sparkClasspath(Path dir) throws IOException, InterruptedException {
        Path pom = TestSpark.projectDir().resolve("src/test/spark-home/pom.xml");
        Path out = dir.resolve("classpath.txt");
        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome != null && Files.isExecutable(Path.of(mavenHome, "bin", "mvn"))
                ? Path.of(mavenHome, "bin", "mvn").toString() : "mvn";
        List<String> cmd = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", pom.toString(),
                "dependency:build-classpath", "-Dmdep.outputFile=" + out));
        for (String key : List.of("spark.version", "scala.version", "scala.binary.version", "slf4j.version")) {
            cmd.add("-D" + key + "=" + require(key));
        }
        Path log = dir.resolve("mvn.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("resolving Spark's classpath failed: " + Files.readString(log));
        }
        return List.of(Files.readString(out, StandardCharsets.UTF_8).trim().split(":"));
    }

    private static String require(String key) {
        String v = System.getProperty(key);
        if (v == null) {
            throw new IllegalStateException("system property " + key + " is not set; run through Maven (Failsafe)");
        }
        return v;
    }
}
