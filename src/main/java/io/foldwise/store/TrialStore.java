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
 * staging directory ({@code _tmp-<id>-<attempt>}), renamed to {@code trials/<id>} (a target that
 * does not exist), and {@code _SUCCESS} is written there last when it completed: a trial directory is
 * therefore complete (done), a recorded failure ({@code error.txt}, no {@code _SUCCESS}), or
 * incomplete (treated as not trained).
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
        /**
         * A directory without either, or whose result is unreadable: being trained, interrupted, or
         * cut short while committed. Never a result; a resume trains it again.
         */
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

    /**
     * Commits a staged attempt as {@code trials/<trialId>}. A trial committed as done is never
     * replaced (the staged attempt is discarded); an earlier failed or incomplete attempt is moved
     * aside first, so the staged directory is renamed into a target that does not exist. When
     * {@code done}, {@code _SUCCESS} is written last, inside the committed directory, after its
     * files were checked: on object stores the rename is a sequence of copies, and a directory
     * whose copy was cut short never has {@code _SUCCESS}.
     *
     * @return false if a done trial was already committed under this id (nothing changed)
     */
    public boolean commit(RunLayout.TrialLayout staged, String trialId, boolean done) {
        return commit(staged, trialId, done, () -> { });
    }

    /**
     * {@link #commit(RunLayout.TrialLayout, String, boolean)}, calling {@code beforeSuccess} between
     * the rename and {@code _SUCCESS} (the tests' fault-injection seam).
     */
    public boolean commit(RunLayout.TrialLayout staged, String trialId, boolean done, Runnable beforeSuccess) {
        RunLayout.TrialLayout target = layout.trial(trialId);
        if (read(trialId).state() == State.DONE) {
            storage.delete(staged.dir());
            return false;
        }
        storage.commitDirectory(staged.dir(), target.dir());
        beforeSuccess.run();
        if (done) {
            for (Path file : List.of(target.paramsJson(), target.curveCsv())) {
                if (!storage.exists(file)) {
                    throw new IllegalStateException("trial " + trialId + " was committed without " + file.getName());
                }
            }
            if (!Json.parse(storage.readString(target.metricsJson())).isObject()) {
                throw new IllegalStateException("trial " + trialId + " was committed with an empty metrics.json");
            }
            storage.writeString(target.success(), "");
        }
        return true;
    }

    /** True if {@code trialId} is committed as done. */
    public boolean isDone(String trialId) {
        return read(trialId).state() == State.DONE;
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
                // _SUCCESS without a readable metrics.json (a commit cut short on a store whose
                // rename copies): not a result, the trial is trained again.
                JsonNode metrics = Json.parse(storage.readString(dir.metricsJson()));
                if (metrics.isObject()) {
                    return new Stored(trialId, State.DONE, Optional.of(metrics), Optional.empty());
                }
                return new Stored(trialId, State.IN_PROGRESS, Optional.empty(), Optional.empty());
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

    /** Deletes staging (and set-aside) directories of trials and best/ left by an interrupted run. */
    public void discardStaging() {
        storage.list(layout.trialsDir()).stream().filter(n -> n.startsWith("_"))
                .forEach(n -> storage.delete(new Path(layout.trialsDir(), n)));
        storage.list(layout.runDir()).stream().filter(RunLayout::leftover)
                .forEach(n -> storage.delete(new Path(layout.runDir(), n)));
    }
}
