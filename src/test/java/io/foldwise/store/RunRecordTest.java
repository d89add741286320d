package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json's typed record, its data facts and provenance: write, read back, equal; and the trial store. */
class RunRecordTest {
    private final Storage storage = new Storage(new Configuration());
    @TempDir
    Path dir;

    private static DataFacts facts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("cat", 3L);
        counts.put("dog", 5L);
        return DataFacts.of("abc123", 8, List.of("cat", "dog"), counts, List.of("bad.png"));
    }

    @Test
    void runJsonRoundTripsThroughItsLifecycle() {
        FoldwiseConfig config = ConfigLoader.load(null, List.of("train.epochs=3"));
        Provenance provenance = new Provenance("17", "3.5.6", "1.0.0-M2", "unknown", "host", "user",
                Instant.parse("2026-01-02T03:04:05Z"), Provenance.RESULTS_VERSION);
        RunLayout layout = RunLayout.of(new org.apache.hadoop.fs.Path(dir.toUri()), "r1");
        RunRecord started = RunRecord.started("r1", "sweep", config, provenance);
        started.write(storage, layout);
        assertThat(RunRecord.read(storage, layout)).isEqualTo(started);
        assertThat(Json.parse(storage.readString(layout.runJson())).path(RunRecord.STATUS).asText()).isEqualTo("running");

        DataFacts facts = facts().withTrainCount(6).withAugmentPreview("augment-preview.png")
                .withTest(Json.parse("{\"accuracy\": 0.5}"));
        RunRecord failed = started.ended(RunState.FAILED, Optional.of(facts), Instant.parse("2026-01-02T03:05:05Z"),
                Optional.of("boom"));
        failed.write(storage, layout);
        RunRecord read = RunRecord.read(storage, layout);
        assertThat(read).isEqualTo(failed);
        assertThat(read.seconds().getAsDouble()).isEqualTo(60.0);
        assertThat(read.data().get().droppedInvalid()).isEqualTo(1);
        assertThat(read.foldwiseConfig().train().epochs()).isEqualTo(3);
        assertThat(read.formatVersion()).isEqualTo(RunRecord.CURRENT_FORMAT);
    }

    @Test
    void runJsonNamesTransferSources() {
        FoldwiseConfig config = ConfigLoader.load(null, List.of());
        Provenance provenance = new Provenance("17", "3.5.6", "1.0.0-M2", "unknown", "host", "user",
                Instant.parse("2026-01-02T03:04:05Z"), Provenance.RESULTS_VERSION);
        TransferSource source = new TransferSource("runs/src", "file:/x/runs/src/model.zip", "src", "f00d",
                List.of("0", "1"), "cnn[conv8@3x3,maxpool2x2|16]/relu", "0123456789abcdef");
        RunRecord started = RunRecord.started("r4", "train", config, provenance).withTransferSources(List.of(source));
        var json = Json.parse(Json.render(started.toJson()));
        assertThat(json.path(RunRecord.TRANSFER_SOURCES).get(0).path(TransferSource.DATA_FINGERPRINT).asText())
                .isEqualTo("f00d");
        RunRecord read = RunRecord.fromJson(json);
        assertThat(read).isEqualTo(started);
        RunRecord ended = read.ended(RunState.FINISHED, Optional.of(facts()), Instant.parse("2026-01-02T03:05:05Z"),
                Optional.empty());
        assertThat(ended.transferSources()).as("kept when the run ends").containsExactly(source);
        assertThat(RunRecord.started("r5", "train", config, provenance).toJson().has(RunRecord.TRANSFER_SOURCES))
                .as("a run from scratch has no transferSources key").isFalse();

        // A run written before model fingerprints: read with none, and compared on run id and data only.
        var old = (com.fasterxml.jackson.databind.node.ObjectNode) source.toJson();
        old.remove(TransferSource.MODEL_FINGERPRINT);
        TransferSource before = TransferSource.fromJson(old);
        assertThat(before.modelFingerprint()).isEmpty();
        assertThat(before.changedIn(source)).isFalse();
        TransferSource replaced = new TransferSource(source.from(), source.uri(), source.runId(),
                source.dataFingerprint(), source.labels(), source.architecture(), "fedcba9876543210");
        assertThat(source.changedIn(replaced)).as("same URI, run and data, another model.zip").isTrue();
        assertThat(source.changedIn(source)).isFalse();
        assertThat(source.changedIn(new TransferSource(source.from(), source.uri(), "other", "f00d", source.labels(),
                source.architecture(), source.modelFingerprint()))).isTrue();
    }

    @Test
    void readsRunJsonWithoutFormatVersionAndRejectsUnknownStatus() {
        var n = RunRecord.started("r2", "train", ConfigLoader.load(null, List.of()), new Provenance("17", "s", "d",
                "g", "h", "u", Instant.parse("2026-01-02T03:04:05Z"), Provenance.RESULTS_VERSION)).toJson();
        n.remove(RunRecord.FORMAT_VERSION);
        assertThat(RunRecord.fromJson(n).formatVersion()).isEqualTo(1);
        n.put(RunRecord.STATUS, "paused");
        assertThatThrownBy(() -> RunRecord.fromJson(n)).isInstanceOf(FoldwiseException.class).hasMessageContaining("paused");
    }

    @Test
    void statusesAreWrittenLowercase() {
        for (RunState s : RunState.values()) {
            assertThat(s.json()).isEqualTo(s.name().toLowerCase(java.util.Locale.ROOT));
            assertThat(RunState.parse(s.json())).contains(s);
        }
        assertThat(RunState.parse("FINISHED")).isEmpty();
    }

    @Test
    void emptyDataObjectHasNoFacts() {
        assertThat(DataFacts.fromJson(Json.object())).isEmpty();
        assertThat(DataFacts.fromJson(facts().toJson())).contains(facts());
    }

    @Test
    void trialStoreStagesCommitsAndReadsTrials() {
        RunLayout layout = RunLayout.of(new org.apache.hadoop.fs.Path(dir.toUri()), "r3");
        TrialStore trials = new TrialStore(storage, layout);
        RunLayout.TrialLayout staged = trials.stage("p-f0-p1000");
        storage.writeString(staged.metricsJson(), "{\"x\": 1}");
        storage.writeString(staged.paramsJson(), "{}");
        storage.writeString(staged.curveCsv(), "epoch");
        assertThat(trials.trialIds()).as("staging directories are not trials").isEmpty();
        assertThat(trials.isDone("p-f0-p1000")).isFalse();
        trials.commit(staged, "p-f0-p1000", true);
        assertThat(trials.isDone("p-f0-p1000")).isTrue();
        assertThat(trials.doneMetrics("p-f0-p1000").orElseThrow().path("x").asInt()).isEqualTo(1);

        RunLayout.TrialLayout failed = trials.stage("p-f1-p1000");
        storage.writeString(failed.errorTxt(), "diverged\ntrace");
        trials.commit(failed, "p-f1-p1000", false);
        RunLayout.TrialLayout interrupted = trials.stage("p-f2-p1000");
        storage.writeString(interrupted.paramsJson(), "{}");

        assertThat(trials.readAll()).extracting(TrialStore.Stored::state)
                .containsExactly(TrialStore.State.DONE, TrialStore.State.FAILED);
        assertThat(trials.read("p-f1-p1000").error()).contains("diverged");
        assertThat(trials.doneCount()).isEqualTo(1);
        trials.discardStaging();
        assertThat(storage.list(layout.trialsDir())).containsExactly("p-f0-p1000", "p-f1-p1000");
    }
}
