package io.foldwise.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where a fit stopped and which epoch it kept, as recorded in metrics.json (trial and train alike).
 * Files written before early stopping existed have neither key: both read as 0, "unknown".
 *
 * @param stoppedEpoch the last epoch trained
 * @param bestEpoch    the epoch whose parameters the model holds
 */
public record StopPoint(int stoppedEpoch, int bestEpoch) {
    public static final String STOPPED_EPOCH = "stoppedEpoch";
    public static final String BEST_EPOCH = "bestEpoch";

    /** Of a trained model. */
    public static StopPoint of(TrainedModel model) {
        return new StopPoint(model.stoppedEpoch(), model.bestEpoch());
    }

    /** Adds the two keys to {@code n}. */
    public void writeTo(ObjectNode n) {
        n.put(STOPPED_EPOCH, stoppedEpoch);
        n.put(BEST_EPOCH, bestEpoch);
    }

    /** Reads the two keys of {@code n}; 0 for a key an older file lacks. */
    public static StopPoint readFrom(JsonNode n) {
        return new StopPoint(n.path(STOPPED_EPOCH).asInt(0), n.path(BEST_EPOCH).asInt(0));
    }

    /** True when the stored file recorded the epochs. */
    public boolean known() {
        return bestEpoch > 0;
    }
}
