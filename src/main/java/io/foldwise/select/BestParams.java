package io.foldwise.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.store.Json;
import io.foldwise.store.TransferSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * best/params.json: the chosen point, why it was chosen, and what the refit trained.
 *
 * @param values     the point's grid values as JSON, each as its config renders it
 * @param parameters the refit network's parameter count (empty in a file without it)
 * @param labels     the class labels, in output order
 * @param transferSource the saved model the refit started from, when the chosen point transfers
 * @param refitEpochs epochs the refit trained and why (empty in a file without them)
 */
public record BestParams(String pointId, String label, String reason, JsonNode values, OptionalLong parameters,
                         List<String> labels, Optional<TransferSource> transferSource,
                         Optional<RefitEpochs> refitEpochs) {
    public static final String POINT_ID = "pointId";
    public static final String LABEL = "label";
    public static final String REASON = "reason";
    public static final String VALUES = "values";
    public static final String PARAMETERS = "parameters";
    public static final String LABELS = "labels";
    public static final String TRANSFER_SOURCE = "transferSource";
    public static final String REFIT_EPOCHS = "refitEpochs";
    public static final String REFIT_EPOCHS_REASON = "refitEpochsReason";

    public BestParams {
        labels = List.copyOf(labels);
    }

    /** The params of the chosen point's refit. */
    public static BestParams of(Selection selection, long parameters, List<String> labels,
                                Optional<TransferSource> transferSource, RefitEpochs epochs) {
        return new BestParams(selection.point().id(), selection.point().label(), selection.reason(),
                selection.point().valuesJson(), OptionalLong.of(parameters), labels, transferSource,
                Optional.of(epochs));
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(POINT_ID, pointId);
        n.put(LABEL, label);
        n.put(REASON, reason);
        n.set(VALUES, values);
        parameters.ifPresent(p -> n.put(PARAMETERS, p));
        n.set(LABELS, Json.strings(labels));
        transferSource.ifPresent(t -> n.set(TRANSFER_SOURCE, t.toJson()));
        refitEpochs.ifPresent(e -> {
            n.put(REFIT_EPOCHS, e.epochs());
            n.put(REFIT_EPOCHS_REASON, e.reason());
        });
        return n;
    }

    /** Reads what {@link #toJson} writes. */
    public static BestParams fromJson(JsonNode n) {
        return new BestParams(n.path(POINT_ID).asText(), n.path(LABEL).asText(), n.path(REASON).asText(),
                n.path(VALUES), n.has(PARAMETERS) ? OptionalLong.of(n.path(PARAMETERS).asLong()) : OptionalLong.empty(),
                Json.strings(n.path(LABELS)), n.hasNonNull(TRANSFER_SOURCE)
                        ? Optional.of(TransferSource.fromJson(n.path(TRANSFER_SOURCE))) : Optional.empty(),
                n.has(REFIT_EPOCHS) ? Optional.of(new RefitEpochs(
                        n.path(REFIT_EPOCHS).asInt(), n.path(REFIT_EPOCHS_REASON).asText())) : Optional.empty());
    }
}
