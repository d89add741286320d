package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a result came from: versions of Java, Spark and DL4J, the git commit of the code, host,
 * user and times. Stored next to every model so a number can be traced to what produced it.
 */
public record Provenance(String javaVersion, String sparkVersion, String dl4jVersion, String gitCommit, String host, String user,
                         Instant started, int resultsVersion) {
    /**
     * The version of how Foldwise trains and evaluates a trial: bump it with any change that
     * would make a trial of the same config and data give other numbers. A run is resumed only by
     * a Foldwise of the same version, so committed and new trials never mix two ways of training.
     * 1: runs that recorded no version (parameter averaging over cached DataFrame batches); 2: shards,
     * one-task fits with per-epoch reshuffling and sampled J_train.
     */
    public static final int RESULTS_VERSION = 2;

    /** Captures the current process's provenance; {@code started} is now. */
    public static Provenance capture(String sparkVersion) {
        return new Provenance(System.getProperty("java.version"), sparkVersion, detectDl4jVersion(), detectGitCommit(),
                hostName(), System.getProperty("user.name"), Instant.now(), RESULTS_VERSION);
    }

    public static final String JAVA = "java";
    public static final String SPARK = "spark";
    public static final String DL4J = "dl4j";
    public static final String GIT_COMMIT = "gitCommit";
    public static final String HOST = "host";
    public static final String USER = "user";
    public static final String STARTED = "started";
    public static final String RESULTS = "resultsVersion";

    /** The "provenance" object of run.json. */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(JAVA, javaVersion);
        n.put(SPARK, sparkVersion);
        n.put(DL4J, dl4jVersion);
        n.put(GIT_COMMIT, gitCommit);
        n.put(HOST, host);
        n.put(USER, user);
        n.put(STARTED, started.toString());
        n.put(RESULTS, resultsVersion);
        return n;
    }

    /** Reads what {@link #toJson} writes; runs written before the results version are version 1. */
    public static Provenance fromJson(JsonNode n) {
        return new Provenance(n.path(JAVA).asText(), n.path(SPARK).asText(), n.path(DL4J).asText(),
                n.path(GIT_COMMIT).asText(), n.path(HOST).asText(), n.path(USER).asText(),
                Instant.parse(n.path(STARTED).asText()), n.path(RESULTS).asInt(1));
    }

    private static String detectDl4jVersion() {
        Package p = org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v == null) {
            // The DL4J jars carry no manifest version; the jar name does.
            String where = String.valueOf(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class
                    .getProtectionDomain().getCodeSource().getLocation());
            Matcher m = Pattern.compile("deeplearning4j-nn-([^/]+)\\.jar").matcher(where);
            v = m.find() ? m.group(1) : "1.0.0-M2";
        }
        return v;
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The commit of the working directory's checkout, or "unknown" outside a git checkout. */
    private static String detectGitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
