package io.foldwise.train;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession Foldwise runs in, with what ND4J needs: Kryo with ND4J's registrator
 * (INDArrays are off-heap and need it), FAIR scheduling so concurrent trials share executors,
 * no console progress bars, adaptive execution sizing every shuffle from the data (no fixed
 * {@code spark.sql.shuffle.partitions}), and (local mode) no JVM exit on a task's OutOfMemoryError.
 * Settings already present (from spark-submit or
 * spark-defaults.conf) win over these defaults.
 */
public final class SparkSessions {
    /** How deep Spark looks for a fatal error (OutOfMemoryError) before it exits the executor JVM. */
    public static final String KILL_ON_FATAL_ERROR_DEPTH = "spark.executor.killOnFatalError.depth";

    private SparkSessions() {
    }

    /**
     * Gets or creates the session. {@code master} is used only when Spark was not given one
     * (spark-submit sets it); it defaults to {@code local[*]}.
     */
    public static SparkSession getOrCreate(String master) {
        SparkConf conf = new SparkConf();
        setIfAbsent(conf, "spark.master", master == null ? "local[*]" : master);
        setIfAbsent(conf, "spark.app.name", "foldwise");
        setIfAbsent(conf, "spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        setIfAbsent(conf, "spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        setIfAbsent(conf, "spark.scheduler.mode", "FAIR");
        setIfAbsent(conf, "spark.ui.showConsoleProgress", "false");
        // No fixed shuffle partition count: Spark's initial count, coalesced by adaptive execution
        // to what the data needs, so shuffles grow with the data and the cluster.
        setIfAbsent(conf, "spark.sql.adaptive.enabled", "true");
        setIfAbsent(conf, "spark.sql.adaptive.coalescePartitions.enabled", "true");
        setIfAbsent(conf, "spark.ui.enabled", "true");
        if (conf.get("spark.master").startsWith("local")) {
            // In local mode the executor is the driver's JVM: an OutOfMemoryError in a task would make
            // Spark exit it with code 52, skipping run.json and the message. Depth 0 fails the task
            // instead; the trial is recorded as failed, or the command exits 1 naming the error.
            setIfAbsent(conf, KILL_ON_FATAL_ERROR_DEPTH, "0");
            // One machine: shuffles start from 4 partitions per core (still coalesced by adaptive
            // execution). Spark's 200 would make every small shuffle write 200 files per map task.
            setIfAbsent(conf, "spark.sql.shuffle.partitions", Integer.toString(4 * localCores(conf.get("spark.master"))));
        }
        // ImageIO's default disk cache writes a temporary file per decoded image: slower than decoding.
        javax.imageio.ImageIO.setUseCache(false);
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** The cores of a local master: local = 1, local[N] or local[N,F] = N, local[*] = this machine's. */
    static int localCores(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?")
                .matcher(master);
        if (!m.matches() || m.group(1) == null) {
            return 1;
        }
        return "*".equals(m.group(1)) ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }
}
