package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The lineage of a fine-tuned model: the saved model it started from. Written to run.json
 * ({@code transferSources}) and to best/params.json ({@code transferSource}) so that a model can be
 * followed back to the run that trained its source, and that run to its data.
 *
 * @param from            the {@code train.transfer.from} value as configured
 * @param uri             the source's model.zip, fully qualified
 * @param runId           the run that trained the source
 * @param dataFingerprint the fingerprint of the source run's training data ("" when its run.json has none)
 * @param labels          the source's classes, in its output order (replaced by the new output layer)
 * @param architecture    the source network's architecture as Foldwise describes it ("" when unknown)
 * @param modelFingerprint the first 16 hex digits of the SHA-256 of model.zip's bytes: tells a replaced
 *                        model at the same URI from the one a run started from ("" in runs written before it)
 */
public record TransferSource(String from, String uri, String runId, String dataFingerprint, List<String> labels,
                             String architecture, String modelFingerprint) {
    public static final String FROM = "from";
    public static final String URI = "uri";
    public static final String RUN_ID = "runId";
    public static final String DATA_FINGERPRINT = "dataFingerprint";
    public static final String LABELS = "labels";
    public static final String ARCHITECTURE = "architecture";
    public static final String MODEL_FINGERPRINT = "modelFingerprint";

    public TransferSource {
        labels = List.copyOf(labels);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(FROM, from);
        n.put(URI, uri);
        n.put(RUN_ID, runId);
        n.put(DATA_FINGERPRINT, dataFingerprint);
        n.set(LABELS, Json.strings(labels));
        n.put(ARCHITECTURE, architecture);
        n.put(MODEL_FINGERPRINT, modelFingerprint);
        return n;
    }

    /** This source with its architecture described. */
    public TransferSource withArchitecture(String described) {
        return new TransferSource(from, uri, runId, dataFingerprint, labels, described, modelFingerprint);
    }

    /**
     * True when {@code now} is not the model this source was: another model fingerprint, source run
     * or data fingerprint. Fingerprints a record lacks (older runs) are not compared.
     */
    public boolean changedIn(TransferSource now) {
        return differ(modelFingerprint, now.modelFingerprint) || !runId.equals(now.runId)
                || differ(dataFingerprint, now.dataFingerprint);
    }

    private static boolean differ(String before, String now) {
        return !before.isEmpty() && !now.isEmpty() && !before.equals(now);
    }

    /** "run digits-0-4, model 3fa9c1d2e4b5a6f7, data e4987e26...": what identifies the source, for messages. */
    public String identity() {
        return "run " + runId + ", model " + (modelFingerprint.isEmpty() ? "(not recorded)" : modelFingerprint)
                + ", data " + (dataFingerprint.isEmpty() ? "(not recorded)" : dataFingerprint);
    }

    /** Reads what {@link #toJson} writes. */
    public static TransferSource fromJson(JsonNode n) {
        return new TransferSource(n.path(FROM).asText(), n.path(URI).asText(), n.path(RUN_ID).asText(),
                n.path(DATA_FINGERPRINT).asText(), Json.strings(n.path(LABELS)), n.path(ARCHITECTURE).asText(),
                n.path(MODEL_FINGERPRINT).asText());
    }
}
