package io.foldwise.select;

import io.foldwise.store.TrialStore;
import java.util.List;
import java.util.Optional;

/**
 * The trial directories of a run as results selection understands: {@link TrialStore} decides
 * where a trial stands, this class reads a done trial's metrics.json as a {@link TrialResult}.
 * Readers that must not depend on a running sweep (status, the report) and the sweep's resume use
 * it alike.
 */
public final class StoredTrials {
    private StoredTrials() {
    }

    /**
     * One trial directory.
     *
     * @param trialId the directory name, {@code <point-id>-f<fold>-p<fraction‰>}
     * @param result  the committed metrics, for a done trial
     * @param error   the first line of error.txt, for a failed trial
     */
    public record Trial(String trialId, TrialStore.State state, Optional<TrialResult> result, Optional<String> error) {
        static Trial of(TrialStore.Stored stored) {
            return new Trial(stored.trialId(), stored.state(), stored.metrics().map(TrialResult::fromJson),
                    stored.error());
        }
    }

    /** Every trial directory under {@code trials/}, by name. */
    public static List<Trial> read(TrialStore trials) {
        return trials.readAll().stream().map(Trial::of).toList();
    }

    /** The committed result of trial {@code id}, if it is done. */
    public static Optional<TrialResult> committed(TrialStore trials, TrialId id) {
        return trials.doneMetrics(id.value()).map(TrialResult::fromJson);
    }
}
