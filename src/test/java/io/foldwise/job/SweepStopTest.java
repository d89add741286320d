package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.select.Grid;
import io.foldwise.select.GridPoint;
import io.foldwise.select.TrialResult;
import io.foldwise.select.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Stopping a sweep: aborting trials cancels the others' Spark jobs; a stopped guard lets no commit through. */
class SweepStopTest {
    private final JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());

    private List<TrialSpec> specs(int n) {
        List<GridPoint> points = Grid.expand(ConfigLoader.load(null, List.of("data.train=x", "sweep.grid.l2=[1e-4]")));
        List<TrialSpec> specs = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            specs.add(new TrialSpec(points.get(0), f, 1.0));
        }
        return specs;
    }

    @Test
    void aTrialThrowingCancelsTheOthersJobsAndTheyHaveEndedWhenTheSweepGoesOn() {
        CountDownLatch othersRunning = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean cancelled = new AtomicBoolean();
        long start = System.nanoTime();
        assertThatThrownBy(() -> new TrialScheduler(sc, 2, false).runAll(specs(2), spec -> {
            running.incrementAndGet();
            try {
                if (spec.fold() == 0) {
                    othersRunning.await(1, TimeUnit.MINUTES);
                    Thread.sleep(500); // the other trial's job is under way
                    throw new IllegalStateException("trial bug");
                }
                othersRunning.countDown();
                try {
                    // A Spark job of about 2 minutes, unless it is cancelled.
                    sc.parallelize(List.of(1, 2), 2).map(x -> {
                        Thread.sleep(60_000);
                        return x;
                    }).collect();
                } catch (Exception e) { // cancelled, or the wait for it interrupted
                    cancelled.set(true);
                }
                return TrialResult.failed(spec.point().id(), spec.fold(), 1.0, "cancelled");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        }, r -> { })).hasMessageContaining("trial bug");
        assertThat(running.get()).as("trial threads still running after the sweep was aborted").isZero();
        assertThat(cancelled.get()).as("the other trial's Spark job ended early").isTrue();
        // Cancelled, the job ends within seconds (the listener bus reports it asynchronously); else it runs a minute.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (sc.statusTracker().getActiveJobIds().length > 0 && System.nanoTime() < until) {
            sleep(100);
        }
        assertThat(sc.statusTracker().getActiveJobIds()).as("Spark jobs still running").isEmpty();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds, well below the job's two minutes").isLessThan(50);
    }

    @Test
    void noCommitGoesThroughAStoppedGuardAndStopWaitsForACommitInFlight() throws Exception {
        RunGuard guard = new RunGuard(sc);
        List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        guard.commit(() -> written.add("before"));
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> guard.commit(() -> {
            inside.countDown();
            sleep(1000);
            written.add("in flight");
        }));
        inside.await();
        FoldwiseException why = new FoldwiseException(FoldwiseException.RUNTIME, "lock lost");
        assertThat(guard.stop(why)).isTrue();
        assertThat(written).as("stop returned after the commit in flight").contains("in flight");
        slow.join();
        assertThatThrownBy(() -> guard.commit(() -> written.add("after"))).isSameAs(why);
        assertThat(written).containsExactly("before", "in flight");
        assertThat(guard.stop(new FoldwiseException(1, "again"))).as("only the first stop counts").isFalse();
        assertThat(guard.stopped()).contains(why);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
