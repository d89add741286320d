package io.foldwise.job;

import io.foldwise.FoldwiseException;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.LoggerFactory;

/**
 * Runs trials concurrently from a bounded driver-side pool. Each pool thread submits its Spark
 * jobs in its own FAIR scheduler pool, so concurrent trials share the executors' cores evenly
 * instead of queueing behind one another. When a trial throws (or failFast stops the sweep), the
 * other trials' jobs are cancelled and their threads have ended before {@link #runAll} throws.
 */
final class TrialScheduler {
    private final JavaSparkContext sc;
    private final int parallelTrials;
    private final boolean failFast;
    private final TrialBudget budget;

    TrialScheduler(JavaSparkContext sc, int parallelTrials, boolean failFast) {
        this(sc, parallelTrials, failFast, TrialBudget.unlimited());
    }

    /** @param budget trials are started only while it lasts */
    TrialScheduler(JavaSparkContext sc, int parallelTrials, boolean failFast, TrialBudget budget) {
        this.sc = sc;
        this.parallelTrials = parallelTrials;
        this.failFast = failFast;
        this.budget = budget;
    }

    /** The budget this scheduler starts trials under. */
    TrialBudget budget() {
        return budget;
    }

    /**
     * Runs every spec through {@code body}; results come back in spec order. Once the budget is
     * spent, specs not started yet are skipped (no result); running ones finish.
     */
    List<TrialResult> runAll(List<TrialSpec> specs, Function<TrialSpec, TrialResult> body,
                             Consumer<TrialResult> onDone) {
        if (specs.isEmpty()) {
            return List.of();
        }
        AtomicInteger slots = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelTrials, specs.size()), r -> {
            Thread t = new Thread(r, "foldwise-trial-" + slots.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        String group = "foldwise-" + System.identityHashCode(this);
        CompletionService<TrialResult> done = new ExecutorCompletionService<>(pool);
        try {
            Map<Future<TrialResult>, Integer> order = new HashMap<>();
            for (int i = 0; i < specs.size(); i++) {
                TrialSpec spec = specs.get(i);
                order.put(done.submit(() -> {
                    if (!budget.tryStart()) {
                        return null;
                    }
                    sc.setLocalProperty("spark.scheduler.pool", Thread.currentThread().getName());
                    sc.setJobGroup(group, "trial " + spec.id() + " (" + spec.describe() + ")", true);
                    try {
                        TrialResult result = body.apply(spec);
                        onDone.accept(result);
                        return result;
                    } finally {
                        sc.clearJobGroup();
                    }
                }), i);
            }
            // Taken in completion order, so failFast stops at the first failure, not the first in the list.
            TrialResult[] results = new TrialResult[specs.size()];
            try {
                for (int n = 0; n < specs.size(); n++) {
                    Future<TrialResult> f = take(done);
                    TrialResult r = get(f);
                    if (r == null) {
                        continue; // not started: the trial budget was spent
                    }
                    if (failFast && r.problem().isPresent()) {
                        throw new FoldwiseException(FoldwiseException.RUNTIME, "trial " + r.trialId()
                                + " failed and sweep.failFast = true: " + r.problem().get());
                    }
                    results[order.get(f)] = r;
                }
            } catch (RuntimeException | Error e) {
                // The sweep ends here: the other trials' Spark jobs are cancelled, and they have
                // ended (committed or not) before the caller goes on to release the lock.
                sc.cancelJobGroup(group);
                pool.shutdownNow();
                awaitEnd(pool);
                throw e;
            }
            return Arrays.stream(results).filter(Objects::nonNull).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for the pool's threads to end; their trials' jobs were cancelled, so this is short. */
    private static void awaitEnd(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                LoggerFactory.getLogger("foldwise").warn("trials still running 5 minutes after the sweep was aborted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Future<TrialResult> take(CompletionService<TrialResult> done) {
        try {
            return done.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FoldwiseException(FoldwiseException.RUNTIME, "interrupted while waiting for trials", e);
        }
    }

    private static TrialResult get(Future<TrialResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FoldwiseException(FoldwiseException.RUNTIME, "interrupted while waiting for trials", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new FoldwiseException(FoldwiseException.RUNTIME, "trial failed: " + e.getCause(), e.getCause());
        }
    }
}
