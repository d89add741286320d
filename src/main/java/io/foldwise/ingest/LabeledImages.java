package io.foldwise.ingest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Validated images and what is known about them. The frame reads from the decoded images, which
 * are cached (filled by ingest's own checking pass); {@link #close()} releases them.
 *
 * @param frame        rows in {@link ImageSchema#SCHEMA}
 * @param labelNames   class names; the index is the {@code label} value
 * @param classCounts  images per class name, in label order (0 for a class with no images here)
 * @param droppedFiles ids of unreadable files skipped because {@code ingest.dropInvalid = true}
 * @param fingerprint  order-independent hash (hex) of every row's id, label and pixels
 * @param decoded      the cached decoded rows behind {@code frame}
 */
public record LabeledImages(Dataset<Row> frame, List<String> labelNames, Map<String, Long> classCounts,
                            List<String> droppedFiles, String fingerprint, Dataset<Row> decoded)
        implements AutoCloseable {
    public LabeledImages {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(fingerprint, "fingerprint");
        labelNames = List.copyOf(labelNames);
        classCounts = Collections.unmodifiableMap(new LinkedHashMap<>(classCounts));
        droppedFiles = List.copyOf(droppedFiles);
    }

    /** Releases the cached decoded images behind {@code frame}. */
    @Override
    public void close() {
        decoded.unpersist(false);
    }

    /** Number of images in the frame. */
    public long count() {
        return classCounts.values().stream().mapToLong(Long::longValue).sum();
    }
}
