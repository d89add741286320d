package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic file replacement, the trial commit protocol and unreadable run directories, on local files. */
class CommitProtocolIT {
    private final Storage storage = new Storage(new Configuration());

    @TempDir
    java.nio.file.Path tmp;

    private RunLayout layout() {
        return RunLayout.of(new Path(tmp.toUri()), "r");
    }

    private RunLayout.TrialLayout staged(TrialStore trials, String id, String metrics) {
        RunLayout.TrialLayout staged = trials.stage(id);
        storage.writeString(staged.paramsJson(), "{}");
        storage.writeString(staged.curveCsv(), "epoch\n");
        storage.writeString(staged.metricsJson(), metrics);
        return staged;
    }

    @Test
    void aReaderNeverFindsTheFileMissingWhileItIsRewritten() {
        Path target = new Path(tmp.toUri().toString(), "run.json");
        storage.writeString(target, "0");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger missing = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                try {
                    storage.readString(target);
                } catch (RuntimeException e) {
                    missing.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        for (int i = 1; i <= 1000; i++) {
            storage.writeString(target, Integer.toString(i));
        }
        writing.set(false);
        reader.join();
        assertThat(reads.get()).isPositive();
        assertThat(missing.get()).as("reads that found no file").isZero();
        assertThat(storage.readString(target)).isEqualTo("1000");
        assertThat(storage.list(target.getParent())).containsExactly("run.json");
    }

    @Test
    void aCommittedTrialIsNeverReplaced() {
        TrialStore trials = new TrialStore(storage, layout());
        assertThat(trials.commit(staged(trials, "p-f0-p1000", "{\"x\": 1}"), "p-f0-p1000", true)).isTrue();
        RunLayout.TrialLayout second = staged(trials, "p-f0-p1000", "{\"x\": 2}");
        assertThat(trials.commit(second, "p-f0-p1000", true)).isFalse();
        assertThat(trials.doneMetrics("p-f0-p1000").orElseThrow().path("x").asInt()).isEqualTo(1);
        assertThat(storage.exists(second.dir())).as("the discarded attempt's staging").isFalse();
    }

    @Test
    void aFailedAttemptIsReplacedByTheNextOneAndNothingIsLeftAside() {
        RunLayout layout = layout();
        TrialStore trials = new TrialStore(storage, layout);
        RunLayout.TrialLayout failed = trials.stage("p-f1-p1000");
        storage.writeString(failed.errorTxt(), "diverged");
        trials.commit(failed, "p-f1-p1000", false);
        assertThat(trials.read("p-f1-p1000").state()).isEqualTo(TrialStore.State.FAILED);

        trials.commit(staged(trials, "p-f1-p1000", "{\"x\": 3}"), "p-f1-p1000", true);
        assertThat(trials.read("p-f1-p1000").state()).isEqualTo(TrialStore.State.DONE);
        assertThat(storage.exists(layout.trial("p-f1-p1000").errorTxt())).isFalse();
        assertThat(storage.list(layout.trialsDir())).containsExactly("p-f1-p1000");
    }

    @Test
    void successWithoutAReadableMetricsFileIsAnIncompleteTrialNotAnError() {
        RunLayout layout = layout();
        TrialStore trials = new TrialStore(storage, layout);
        for (String id : List.of("missing-f0-p1000", "empty-f0-p1000", "cut-f0-p1000")) {
            RunLayout.TrialLayout dir = layout.trial(id);
            storage.writeString(dir.paramsJson(), "{}");
            storage.writeString(dir.success(), "");
        }
        storage.writeString(layout.trial("empty-f0-p1000").metricsJson(), "");
        storage.writeString(layout.trial("cut-f0-p1000").metricsJson(), "{\"result\": {\"jTr");
        assertThat(trials.readAll()).extracting(TrialStore.Stored::state).containsOnly(TrialStore.State.IN_PROGRESS);
        assertThat(trials.doneCount()).isZero();

        // The retrained attempt is committed over the incomplete directory.
        trials.commit(staged(trials, "missing-f0-p1000", "{\"x\": 4}"), "missing-f0-p1000", true);
        assertThat(trials.doneMetrics("missing-f0-p1000").orElseThrow().path("x").asInt()).isEqualTo(4);
    }

    @Test
    void aCommitWhoseFilesAreMissingGetsNoSuccessMarker() {
        RunLayout layout = layout();
        TrialStore trials = new TrialStore(storage, layout);
        RunLayout.TrialLayout staged = trials.stage("p-f2-p1000");
        storage.writeString(staged.metricsJson(), "{\"x\": 1}");
        assertThatThrownBy(() -> trials.commit(staged, "p-f2-p1000", true)).hasMessageContaining("params.json");
        assertThat(storage.exists(layout.trial("p-f2-p1000").success())).isFalse();
        assertThat(trials.isDone("p-f2-p1000")).isFalse();
    }

    @Test
    void aStagedDirectoryIsCommittedOverALeftoverAndLeftoversAreDiscarded() {
        RunLayout layout = layout();
        storage.writeString(layout.best().paramsJson(), "old");
        RunLayout staged = layout.stagingBest("a");
        storage.writeString(staged.paramsJson(), "new");
        storage.writeString(layout.stagingBest("b").paramsJson(), "interrupted");
        storage.commitDirectory(layout.stagingBest("a").runDir(), layout.best().runDir());
        assertThat(storage.readString(layout.best().paramsJson())).isEqualTo("new");
        new TrialStore(storage, layout).discardStaging();
        assertThat(storage.list(layout.runDir())).containsExactly("best");
    }

    @Test
    void anUnparseableRunJsonIsAUsageErrorNamingTheFileAndWhatForceDoes() {
        RunLayout layout = layout();
        for (String text : List.of("", "{\"runId\": \"r\", \"stat")) {
            storage.writeString(layout.runJson(), text);
            assertThatThrownBy(() -> RunDirectory.previousRun(storage, layout))
                    .isInstanceOfSatisfying(UnreadableRunException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessageContaining(layout.runJson().toString()).hasMessageContaining("--force")
                    .hasMessageContaining("from scratch");
        }
    }

    @Test
    void aClearInterruptedHalfWayIsRecognisedAndFinishedByTheNextClear() {
        RunLayout layout = layout();
        storage.writeString(layout.runJson(), "{}");
        storage.writeString(layout.trial("p-f0-p1000").success(), "");
        storage.writeString(layout.lockFile(), "{}");
        storage.writeString(layout.clearingMarker(), "");
        assertThatThrownBy(() -> RunDirectory.previousRun(storage, layout))
                .isInstanceOf(UnreadableRunException.class).hasMessageContaining("--force");
        RunDirectory.clear(storage, layout);
        assertThat(storage.list(layout.runDir())).containsExactly("_lock");
        assertThat(RunDirectory.previousRun(storage, layout)).isEmpty();
    }
}
