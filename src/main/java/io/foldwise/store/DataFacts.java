package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The "data" object of run.json: what a run knows about its training data (fingerprint, class
 * counts, dropped files), the sizes it trained on, the augmentation preview it wrote and the test
 * metrics of a sweep.
 *
 * @param count          images read (before any test hold-out)
 * @param trainCount     images in the training part (after the test hold-out of a sweep, the
 *                       validation split of a train run)
 * @param augmentPreview the run-relative path of the augmentation preview, when the run augmented
 * @param test           the test evaluation of a sweep, as {@code io.foldwise.train.Evaluation}
 *                       writes it (kept as JSON here: store sits below train)
 */
public record DataFacts(String fingerprint, long count, List<String> labels, Map<String, Long> classCounts,
                        List<String> droppedFiles, OptionalLong trainCount, OptionalLong validationCount,
                        Optional<String> augmentPreview, Optional<JsonNode> test) {
    public static final String FINGERPRINT = "fingerprint";
    public static final String COUNT = "count";
    public static final String LABELS = "labels";
    public static final String CLASS_COUNTS = "classCounts";
    public static final String DROPPED_INVALID = "droppedInvalid";
    public static final String DROPPED_FILES = "droppedFiles";
    public static final String TRAIN_COUNT = "trainCount";
    public static final String VALIDATION_COUNT = "validationCount";
    public static final String AUGMENT_PREVIEW = "augmentPreview";
    public static final String TEST = "test";

    public DataFacts {
        labels = List.copyOf(labels);
        classCounts = Collections.unmodifiableMap(new LinkedHashMap<>(classCounts));
        droppedFiles = List.copyOf(droppedFiles);
    }

    /** The facts of freshly read data, before anything was trained. */
    public static DataFacts of(String fingerprint, long count, List<String> labels, Map<String, Long> classCounts,
                               List<String> droppedFiles) {
        return new DataFacts(fingerprint, count, labels, classCounts, droppedFiles, OptionalLong.empty(),
                OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    /** Files skipped as unreadable (ingest.dropInvalid). */
    public int droppedInvalid() {
        return droppedFiles.size();
    }

    /** Images trained on if known, else all images read. */
    public long trainingImages() {
        return trainCount.orElse(count);
    }

    public DataFacts withTrainCount(long n) {
        return new DataFacts(fingerprint, count, labels, classCounts, droppedFiles, OptionalLong.of(n),
                validationCount, augmentPreview, test);
    }

    public DataFacts withValidationCount(long n) {
        return new DataFacts(fingerprint, count, labels, classCounts, droppedFiles, trainCount, OptionalLong.of(n),
                augmentPreview, test);
    }

    public DataFacts withAugmentPreview(String runRelativePath) {
        return new DataFacts(fingerprint, count, labels, classCounts, droppedFiles, trainCount, validationCount,
                Optional.of(runRelativePath), test);
    }

    public DataFacts withTest(JsonNode evaluation) {
        return new DataFacts(fingerprint, count, labels, classCounts, droppedFiles, trainCount, validationCount,
                augmentPreview, Optional.of(evaluation));
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(FINGERPRINT, fingerprint);
        n.put(COUNT, count);
        n.set(LABELS, Json.strings(labels));
        ObjectNode counts = n.putObject(CLASS_COUNTS);
        classCounts.forEach(counts::put);
        n.put(DROPPED_INVALID, droppedInvalid());
        n.set(DROPPED_FILES, Json.strings(droppedFiles));
        trainCount.ifPresent(v -> n.put(TRAIN_COUNT, v));
        validationCount.ifPresent(v -> n.put(VALIDATION_COUNT, v));
        augmentPreview.ifPresent(v -> n.put(AUGMENT_PREVIEW, v));
        test.ifPresent(v -> n.set(TEST, v));
        return n;
    }

    /** Reads what {@link #toJson} writes; empty for an object without facts (a run that failed before reading data). */
    public static Optional<DataFacts> fromJson(JsonNode n) {
        if (!n.isObject() || !n.has(FINGERPRINT)) {
            return Optional.empty();
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        n.path(CLASS_COUNTS).fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return Optional.of(new DataFacts(n.path(FINGERPRINT).asText(), n.path(COUNT).asLong(),
                Json.strings(n.path(LABELS)), counts, Json.strings(n.path(DROPPED_FILES)),
                n.has(TRAIN_COUNT) ? OptionalLong.of(n.path(TRAIN_COUNT).asLong()) : OptionalLong.empty(),
                n.has(VALIDATION_COUNT) ? OptionalLong.of(n.path(VALIDATION_COUNT).asLong()) : OptionalLong.empty(),
                n.hasNonNull(AUGMENT_PREVIEW) ? Optional.of(n.path(AUGMENT_PREVIEW).asText()) : Optional.empty(),
                n.has(TEST) ? Optional.of(n.path(TEST)) : Optional.empty()));
    }
}
