package io.foldwise.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where a result came from: versions of Java, Spark and DL4J, the git commit of the code, host,
 * user and times. Stored next to every model so a number can be traced to what produced it.
 */
public record Provenance(String javaVersion, String sparkVersion, String dl4jVersion, String gitCommit, String host, String user,
                         Instant started) {

    /** Captures the current process's provenance; {@code started} is now. */
    public static Provenance capture(String sparkVersion) {
        return new Provenance(System.getProperty("java.version"), sparkVersion, detectDl4jVersion(), detectGitCommit(),
                hostName(), System.getProperty("user.name"), Instant.now());
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("java", javaVersion);
        n.put("spark", sparkVersion);
        n.put("dl4j", dl4jVersion);
        n.put("gitCommit", gitCommit);
        n.put("host", host);
        n.put("user", user);
        n.put("started", started.toString());
        return n;
    }

    private static String detectDl4jVersion() {
        Package p = org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v == null) {
            // The DL4J jars carry no manifest version; the jar name does.
            String where = String.valueOf(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class
                    .getProtectionDomain().getCodeSource().getLocation());
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("deeplearning4j-nn-([^/]+)\\.jar").matcher(where);
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
