package io.foldwise.select;

import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trial directories of a run as they are on storage, for readers that must not depend on a
 * running sweep (status, the report): a trial is done when its {@code _SUCCESS} exists, failed
 * when it has {@code error.txt} without {@code _SUCCESS}, and otherwise in progress (or
 * interrupted).
 */
public final class StoredTrials {
    private StoredTrials() {
    }

    /** Where a trial stands. */
    public enum State {
        DONE, FAILED, IN_PROGRESS
    }

    /**
     * One trial directory.
     *
     * @param trialId the directory name, {@code <point-id>-f<fold>-p<fraction‰>}
     * @param result  the committed metrics, for a done trial
     * @param error   the first line of error.txt, for a failed trial
     */
    public record Trial(String trialId, State state, Optional<TrialResult> result, Optional<String> error) {
    }

    /** Every trial directory under {@code trials/}, by name. */
    public static List<Trial> read(Storage storage, RunLayout layout) {
        List<Trial> out = new ArrayList<>();
        for (String name : storage.list(layout.trialsDir())) {
            if (name.startsWith(".") || name.startsWith("_")) {
                continue;
            }
            out.add(read(storage, name, layout.trial(name)));
        }
        return out;
    }

    private static Trial read(Storage storage, String name, RunLayout.TrialLayout dir) {
        try {
            if (storage.exists(dir.success())) {
                TrialResult result = TrialResult.fromJson(Json.parse(storage.readString(dir.metricsJson())));
                return new Trial(name, State.DONE, Optional.of(result), Optional.empty());
            }
            if (storage.exists(dir.errorTxt())) {
                String first = storage.readString(dir.errorTxt()).lines().findFirst().orElse("").strip();
                return new Trial(name, State.FAILED, Optional.empty(), Optional.of(first));
            }
        } catch (UncheckedIOException e) {
            // A retry deleted the directory between our two reads: it is being trained again.
        }
        return new Trial(name, State.IN_PROGRESS, Optional.empty(), Optional.empty());
    }

    /** The trial id of a grid trial (whole fold training part) of {@code point} on {@code fold}. */
    public static String gridTrialId(GridPoint point, int fold) {
        return new TrialSpec(point, fold, 1.0).id().value();
    }
}
