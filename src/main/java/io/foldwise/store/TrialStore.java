package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.fs.Path;

/**
 * The one owner of trial directory state under {@code trials/}: where a trial is staged, how it is
 * committed, whether it is committed, and what a stored trial holds. A trial is written into a
 * staging directory ({@code _tmp-<id>-<attempt>}), {@code _SUCCESS} last when it completed, and the
 * staging directory is renamed to {@code trials/<id>}: a trial directory is therefore complete
 * (done), a recorded failure ({@code error.txt}, no {@code _SUCCESS}) or being replaced.
 * Reading never depends on a running sweep, so status and the report use it too.
 */
public final class TrialStore {
    private final Storage storage;
    private final RunLayout layout;

    public TrialStore(Storage storage, RunLayout layout) {
        this.storage = storage;
        this.layout = layout;
    }

    /** Where a trial stands on storage. */
    public enum State {
        /** Committed with {@code _SUCCESS}: its metrics.json is the result. */
        DONE,
        /** Committed with error.txt and no {@code _SUCCESS}. */
        FAILED,
        /** A directory without either: being trained, or interrupted. */
        IN_PROGRESS
    }

    /**
     * One stored trial directory.
     *
     * @param metrics metrics.json of a done trial
     * @param error   the first line of error.txt of a failed trial
     */
    public record Stored(String trialId, State state, Optional<JsonNode> metrics, Optional<String> error) {
    }

    /** A fresh staging directory for one attempt at {@code trialId}. */
    public RunLayout.TrialLayout stage(String trialId) {
        return layout.stagingTrial(trialId, UUID.randomUUID().toString());
    }

    /** Marks a staged trial complete; call after every other file of it is written. */
    public void markDone(RunLayout.TrialLayout staged) {
        storage.writeString(staged.success(), "");
    }

    /** Renames a staged trial into {@code trials/<id>}, replacing an earlier attempt. */
    public void commit(RunLayout.TrialLayout staged, String trialId) {
        storage.replace(staged.dir(), layout.trial(trialId).dir());
    }

    /** True if {@code trialId} is committed as done. */
    public boolean isDone(String trialId) {
        return storage.exists(layout.trial(trialId).success());
    }

    /** metrics.json of a done trial; empty if the trial is not done. */
    public Optional<JsonNode> doneMetrics(String trialId) {
        return read(trialId).metrics();
    }

    /** The ids of every trial directory (staging directories left out). */
    public List<String> trialIds() {
        List<String> out = new ArrayList<>();
        for (String name : storage.list(layout.trialsDir())) {
            if (!name.startsWith(".") && !name.startsWith("_")) {
                out.add(name);
            }
        }
        return out;
    }

    /** Every trial directory, by name. */
    public List<Stored> readAll() {
        return trialIds().stream().map(this::read).toList();
    }

    /** What the directory of {@code trialId} holds. */
    public Stored read(String trialId) {
        RunLayout.TrialLayout dir = layout.trial(trialId);
        try {
            if (storage.exists(dir.success())) {
                return new Stored(trialId, State.DONE, Optional.of(Json.parse(storage.readString(dir.metricsJson()))),
                        Optional.empty());
            }
            if (storage.exists(dir.errorTxt())) {
                String first = storage.readString(dir.errorTxt()).lines().findFirst().orElse("").strip();
                return new Stored(trialId, State.FAILED, Optional.empty(), Optional.of(first));
            }
        } catch (UncheckedIOException e) {
            // A retry replaced the directory between our two reads: it is being trained again.
        }
        return new Stored(trialId, State.IN_PROGRESS, Optional.empty(), Optional.empty());
    }

    /** Trials committed as done. */
    public long doneCount() {
        return trialIds().stream().filter(this::isDone).count();
    }

    /** Deletes staging directories of attempts that were interrupted mid-write. */
    public void discardStaging() {
        storage.list(layout.trialsDir()).stream().filter(n -> n.startsWith("_"))
                .forEach(n -> storage.delete(new Path(layout.trialsDir(), n)));
    }
}
