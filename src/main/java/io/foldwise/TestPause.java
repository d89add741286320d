package io.foldwise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test support, not a feature: a fault-injection seam that lets a test kill a real sweep at a
 * chosen stage. Off unless the system property {@value #PAUSE_AT} is set (spark-submit turns a
 * {@code --conf} into one); then the thread reaching that stage prints {@code MARKER <stage>} on
 * stdout and blocks until the process ends. The value is {@code <stage>} or {@code <stage>:<n>} (the
 * n-th time that stage starts in this job). Stages: {@code ingest}, {@code trial} (a trial's staging
 * directory exists), {@code commit} (a trial renamed into place, before {@code _SUCCESS}),
 * {@code between} (after a trial's commit), {@code refit}, {@code report}.
 */
public final class TestPause {
    /** The property naming the stage to pause at; for tests only. */
    public static final String PAUSE_AT = "spark.foldwise.test.pauseAt";
    /** What the paused thread prints, followed by the stage. */
    public static final String MARKER = "foldwise test seam: paused at ";
    /** A seam that never pauses. */
    public static final TestPause OFF = new TestPause(null, 0);

    private final String stage;
    private final int nth;
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    private TestPause(String stage, int nth) {
        this.stage = stage;
        this.nth = nth;
    }

    /** The seam as the system property {@value #PAUSE_AT} sets it (off when unset). */
    public static TestPause fromSystemProperties() {
        String value = System.getProperty(PAUSE_AT, "").strip();
        if (value.isEmpty()) {
            return OFF;
        }
        int colon = value.indexOf(':');
        return colon < 0 ? new TestPause(value, 1)
                : new TestPause(value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
    }

    /** Marks the start of {@code name}; blocks for ever if this is where the test asked to pause. */
    public void at(String name) {
        if (stage == null || !stage.equals(name)
                || seen.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet() != nth) {
            return;
        }
        System.out.println(MARKER + name);
        System.out.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // stay paused: only the test ends this process
            }
        }
    }
}
