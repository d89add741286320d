package io.foldwise.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster on 127.0.0.1: one Master and {@code workers} Worker JVMs of one
 * core each, started as plain {@code java -cp 'jars/*'} from a {@link SparkHome}, through the
 * caller's {@link ChildProcesses}, which stops them (and the executors they start).
 */
final class StandaloneCluster {
    /** Spark's --add-opens for Java 17 (DESIGN gotcha 2); spark-submit and Workers add their own. */
    static final List<String> ADD_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
                    "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
                    "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar").stream()
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    final Path sparkHome;
    final String masterUrl;
    final List<Path> workerDirs = new ArrayList<>();
    private final int masterUiPort;

    private StandaloneCluster(Path sparkHome, String masterUrl, int masterUiPort) {
        this.sparkHome = sparkHome;
        this.masterUrl = masterUrl;
        this.masterUiPort = masterUiPort;
    }

    /** Environment every Spark process of this cluster (and its driver) runs with. */
    Map<String, String> env() {
        return Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
                "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_HOSTNAME", "127.0.0.1");
    }

    static StandaloneCluster start(Path sparkHome, Path dir, int workers, String workerMemory, ChildProcesses processes)
            throws IOException, InterruptedException {
        int port = freePort();
        int uiPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(sparkHome, "spark://127.0.0.1:" + port, uiPort);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        processes.start(cluster.java("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(uiPort)), dir, cluster.env(),
                logs.resolve("master.log"));
        for (int i = 1; i <= workers; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            cluster.workerDirs.add(work);
            processes.start(cluster.java("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "1", "--memory", workerMemory, "--webui-port", String.valueOf(freePort()),
                    "--work-dir", work.toString(), cluster.masterUrl), dir, cluster.env(),
                    logs.resolve("worker-" + i + ".log"));
        }
        cluster.awaitWorkers(workers, Duration.ofMinutes(2), logs);
        return cluster;
    }

    private List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        cmd.addAll(ADD_OPENS);
        cmd.addAll(List.of("-cp", sparkHome.resolve("conf") + ":" + sparkHome.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void awaitWorkers(int expected, Duration timeout, Path logs) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Matcher m = alive.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                    return;
                }
            } catch (IOException e) {
                // master not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(expected + " workers did not register with " + masterUrl + " within "
                + timeout + "; see " + logs);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
