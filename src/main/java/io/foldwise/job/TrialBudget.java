package io.foldwise.job;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many trials this invocation of a sweep may still start ({@code sweep.maxTrials}) and until
 * when ({@code sweep.timeBudget}). Once either is reached no trial starts; those running finish.
 * Both count from this invocation's start, so a re-issued sweep (which keeps its committed trials)
 * gets them afresh. Thread-safe: the scheduler's pool threads ask it.
 */
final class TrialBudget {
    private final int maxTrials;
    private final Optional<Duration> time;
    private final long start = System.nanoTime();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicBoolean hit = new AtomicBoolean();

    /**
     * @param maxTrials trials this invocation may start; 0 = no limit
     * @param time      wall time after which no trial starts; empty = no limit
     */
    TrialBudget(int maxTrials, Optional<Duration> time) {
        this.maxTrials = maxTrials;
        this.time = time;
    }

    /** No limit. */
    static TrialBudget unlimited() {
        return new TrialBudget(0, Optional.empty());
    }

    /** Takes one trial from the budget; false (and the budget counts as hit) when there is none left. */
    boolean tryStart() {
        if (hit.get()) {
            return false;
        }
        boolean late = time.isPresent() && System.nanoTime() - start >= time.get().toNanos();
        if (late || (maxTrials > 0 && started.incrementAndGet() > maxTrials)) {
            hit.set(true);
            return false;
        }
        return true;
    }

    /** True once a trial could not start for lack of budget. */
    boolean hit() {
        return hit.get();
    }

    /** What was reached, for progress lines and the selection's reason. */
    String describe() {
        return (maxTrials > 0 && started.get() > maxTrials ? "sweep.maxTrials (" + maxTrials + ")"
                : "sweep.timeBudget (" + time.map(Duration::toString).orElse("-") + ")")
                + " was reached: no further trial was started, the running ones finished";
    }
}
