package io.foldwise.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.Progress;
import io.foldwise.augment.AugmentPreview;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.ingest.LabeledImages;
import io.foldwise.store.Json;
import io.foldwise.store.Provenance;
import io.foldwise.store.RunLayout;
import io.foldwise.store.RunRecord;
import io.foldwise.store.Storage;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run.json lifecycle every job shares: "running" with provenance at the start, then
 * "finished" (scratch space removed) or "failed" with the error, whatever the job wrote into its
 * data facts by then.
 */
final class JobRecord {
    private JobRecord() {
    }

    /** What run.json records about the ingested training data, the same for every job. */
    static ObjectNode dataFacts(LabeledImages images) {
        ObjectNode n = Json.object();
        n.put("fingerprint", images.fingerprint());
        n.put("count", images.count());
        n.set("labels", Json.raw(Json.render(images.labelNames())));
        ObjectNode counts = n.putObject("classCounts");
        images.classCounts().forEach(counts::put);
        n.put("droppedInvalid", images.droppedFiles().size());
        n.set("droppedFiles", Json.raw(Json.render(images.droppedFiles())));
        return n;
    }

    /** Writes the augmentation preview of {@code trainRows} and records it in the data facts. */
    static void augmentPreview(Storage storage, RunLayout layout, Dataset<Row> trainRows, AugmentConfig augment,
                               ObjectNode data) {
        AugmentPreview.write(storage, layout.augmentPreviewPng(), trainRows, augment);
        data.put("augmentPreview", layout.augmentPreviewPng().getName());
    }

    /**
     * Runs {@code body} with an initially empty data-facts object that ends up in run.json, then
     * {@code onEnd} (the CLI's report) whether the job finished or failed.
     */
    static <T> T run(SparkSession spark, Storage storage, RunLayout layout, String command, FoldwiseConfig config,
                     Consumer<RunLayout> onEnd, Function<ObjectNode, T> body) {
        RunRecord record = new RunRecord(layout.runId(), command, config, Provenance.capture(spark.version()));
        record.write(storage, layout, "running", null, null, null);
        Progress.line("%s %s -> %s", command, layout.runId(), layout.runDir());
        spark.sparkContext().uiWebUrl().foreach(url -> {
            Progress.line("Spark UI: %s", url);
            return null;
        });
        ObjectNode data = Json.object();
        try {
            T result = body.apply(data);
            record.write(storage, layout, "finished", data, Instant.now(), null);
            storage.delete(layout.workDir());
            onEnd.accept(layout);
            return result;
        } catch (RuntimeException e) {
            record.write(storage, layout, "failed", data, Instant.now(), String.valueOf(e.getMessage()));
            onEnd.accept(layout);
            throw e;
        }
    }
}
