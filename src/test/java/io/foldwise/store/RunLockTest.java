package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run lock: one owner at a time, takeover by generation, heartbeat, loss detection, one clock. */
class RunLockTest {
    private final Storage storage = new Storage(new Configuration());

    @TempDir
    java.nio.file.Path tmp;

    private Path lockDir() {
        return new Path(tmp.toUri().toString(), "run/_lock");
    }

    /** Starts {@code n} acquirers at one instant; the locks they got (the rest failed with exit 2). */
    private List<RunLock> race(int n, int staleSeconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<RunLock>> tries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tries.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                try {
                    return RunLock.acquire(storage, lockDir(), staleSeconds);
                } catch (FoldwiseException e) {
                    assertThat(e.exitCode()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("in use by another Foldwise process");
                    return null;
                }
            }, pool));
        }
        go.countDown();
        List<RunLock> won = new ArrayList<>();
        for (CompletableFuture<RunLock> t : tries) {
            RunLock l = t.get(1, TimeUnit.MINUTES);
            if (l != null) {
                won.add(l);
            }
        }
        pool.shutdown();
        return won;
    }

    @Test
    void ofManyProcessesStartingAtOnceExactlyOneGetsTheLock() throws Exception {
        for (int round = 0; round < 5; round++) {
            List<RunLock> won = race(8, 600);
            assertThat(won).as("round " + round).hasSize(1);
            won.get(0).close();
            assertThat(storage.exists(lockDir())).as("released").isFalse();
        }
    }

    @Test
    void ofManyNewcomersTakingOverAStaleLockExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            RunLock old = RunLock.acquire(storage, lockDir(), 600);
            long gen = old.generation();
            // The old owner's heartbeat is silenced and its files dated back beyond run.lockStaleSeconds.
            stopHeartbeatAndAge(old, gen, 120_000);
            List<RunLock> won = race(8, 60);
            assertThat(won).as("round " + round).hasSize(1);
            assertThat(won.get(0).generation()).isEqualTo(gen + 1);
            won.get(0).close();
        }
    }

    @Test
    void aLiveLockIsRefusedNamingItsOwner() {
        try (RunLock held = RunLock.acquire(storage, lockDir(), 600)) {
            assertThatThrownBy(() -> RunLock.acquire(storage, lockDir(), 600))
                    .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessageContaining("pid " + ProcessHandle.current().pid())
                    .hasMessageContaining("run.lockStaleSeconds = 600");
            held.check();
        }
    }

    @Test
    void theOwnerLearnsThatItsLockWasTakenOverAndStopsWriting() throws Exception {
        AtomicReference<String> told = new AtomicReference<>();
        CountDownLatch lost = new CountDownLatch(1);
        RunLock first = RunLock.acquire(storage, lockDir(), 1, why -> {
            told.set(why);
            lost.countDown();
        });
        // Another process, finding the lock stale (say the store paused), took it over.
        java.nio.file.Path dir = java.nio.file.Path.of(lockDir().toUri());
        Files.writeString(dir.resolve(String.format("%012d", first.generation() + 1)),
                "{\"host\":\"other.example\",\"pid\":7,\"started\":\"2026-12-01T00:00:00Z\",\"token\":\"x\"}");
        assertThat(lost.await(20, TimeUnit.SECONDS)).as("heartbeat noticed").isTrue();
        assertThat(told.get()).contains("other.example");
        assertThatThrownBy(first::check)
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("lost its lock").hasMessageContaining("other.example");
        first.close();
        assertThat(dir.resolve(String.format("%012d", first.generation() + 1))).as("the new owner's lock stays")
                .exists();
    }

    @Test
    void theHeartbeatKeepsALockFreshAndAgesAreReadOnTheStoresClock() throws Exception {
        try (RunLock held = RunLock.acquire(storage, lockDir(), 2)) {
            Thread.sleep(3000);
            assertThat(RunLock.heartbeatAge(storage, lockDir()).getAsLong()).isLessThan(2);
            assertThatThrownBy(() -> RunLock.acquire(storage, lockDir(), 2)).hasMessageContaining("in use");
            held.check();
        }
        assertThat(RunLock.heartbeatAge(storage, lockDir())).isEmpty();

        // A heartbeat stamped in the future (another host's clock ahead) is fresh, not negative or stale.
        RunLock ahead = RunLock.acquire(storage, lockDir(), 600);
        stopHeartbeatAndAge(ahead, ahead.generation(), -3_600_000);
        assertThat(RunLock.heartbeatAge(storage, lockDir()).getAsLong()).isZero();
        assertThatThrownBy(() -> RunLock.acquire(storage, lockDir(), 600)).hasMessageContaining("in use");
    }

    /** Stops {@code lock}'s heartbeat (without releasing) and dates its files {@code ms} back. */
    private void stopHeartbeatAndAge(RunLock lock, long generation, long ms) throws Exception {
        lock.stopHeartbeat();
        java.nio.file.Path dir = java.nio.file.Path.of(lockDir().toUri());
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - ms);
        for (String name : List.of(String.format("%012d", generation), String.format("%012d", generation) + ".beat")) {
            if (Files.exists(dir.resolve(name))) {
                Files.setLastModifiedTime(dir.resolve(name), old);
            }
        }
    }
}
