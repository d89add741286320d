package io.foldwise.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.store.Json;

/**
 * A trial's params.json: which grid point, fold and training-set fraction it trained.
 *
 * @param repeat the repeat of k-fold cross-validation (0 in files written before repeats)
 * @param values the point's grid values as JSON, each as its config renders it
 */
public record TrialParams(String trialId, String pointId, String label, int repeat, int fold, double fraction,
                          JsonNode values) {
    public static final String TRIAL_ID = "trialId";
    public static final String POINT_ID = "pointId";
    public static final String LABEL = "label";
    public static final String REPEAT = "repeat";
    public static final String FOLD = "fold";
    public static final String FRACTION = "fraction";
    public static final String VALUES = "values";

    /** The params of the trial {@code spec}. */
    public static TrialParams of(TrialSpec spec) {
        return new TrialParams(spec.id().value(), spec.point().id(), spec.point().label(), spec.repeat(), spec.fold(),
                spec.fraction(), spec.point().valuesJson());
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(TRIAL_ID, trialId);
        n.put(POINT_ID, pointId);
        n.put(LABEL, label);
        n.put(REPEAT, repeat);
        n.put(FOLD, fold);
        n.put(FRACTION, fraction);
        n.set(VALUES, values);
        return n;
    }

    /** Reads what {@link #toJson} writes. */
    public static TrialParams fromJson(JsonNode n) {
        return new TrialParams(n.path(TRIAL_ID).asText(), n.path(POINT_ID).asText(), n.path(LABEL).asText(),
                n.path(REPEAT).asInt(0), n.path(FOLD).asInt(), n.path(FRACTION).asDouble(), n.path(VALUES));
    }
}
