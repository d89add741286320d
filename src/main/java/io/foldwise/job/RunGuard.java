package io.foldwise.job;

import io.foldwise.FoldwiseException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Stops a running job from outside (its lock lost, a signal) and gates every write into the run
 * directory: a write runs only while the job is not stopped, and {@link #stop} waits for writes in
 * flight, so no thread commits anything once the job was stopped (and its lock released).
 */
final class RunGuard {
    private final JavaSparkContext sc;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile FoldwiseException stopped;

    RunGuard(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** Runs {@code write} unless the job was stopped; then throws why it was. */
    void commit(Runnable write) {
        gate.readLock().lock();
        try {
            check();
            write.run();
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Throws why the job was stopped, if it was. */
    void check() {
        FoldwiseException why = stopped;
        if (why != null) {
            throw why;
        }
    }

    /** Why the job was stopped, or empty. */
    Optional<FoldwiseException> stopped() {
        return Optional.ofNullable(stopped);
    }

    /**
     * Stops the job: waits (a bounded time) for writes in flight, refuses every later one, and
     * cancels the job's Spark jobs so that its trials end soon.
     *
     * @return true for the first stop (the caller records it), false if already stopped
     */
    boolean stop(FoldwiseException why) {
        boolean locked = false;
        try {
            locked = gate.writeLock().tryLock(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (stopped != null) {
                return false;
            }
            stopped = why;
        } finally {
            if (locked) {
                gate.writeLock().unlock();
            }
        }
        try {
            sc.cancelAllJobs();
        } catch (RuntimeException e) {
            // the context is already stopping: its jobs end with it
        }
        return true;
    }
}
