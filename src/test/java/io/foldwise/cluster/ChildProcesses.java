package io.foldwise.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Processes a test starts, each with its own log file, stopped together with everything they
 * started in turn (a Worker's executors, a launcher script's JVM) by {@link #close()} and, should
 * the test JVM die first, by a shutdown hook.
 */
public final class ChildProcesses implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "stop-test-processes");

    public ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public synchronized Process start(List<String> command, Path workDir, Map<String, String> env, Path log)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }

    private synchronized void stopAll() {
        // Newest first: the application before the workers, the workers before the master.
        for (int i = started.size() - 1; i >= 0; i--) {
            stopTree(started.get(i).toHandle());
        }
        started.clear();
    }

    /** Polite stop (SIGTERM lets a Worker stop its executors), then SIGKILL for anything left. */
    public static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
