package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.foldwise.FoldwiseException;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import java.time.Duration;
import java.time.Instant;

/**
 * run.json: the resolved config and provenance of a run, its status (running, finished, failed)
 * and facts about its data (fingerprint, counts, dropped files). Rewritten atomically as the run
 * progresses.
 */
public record RunRecord(String runId, String command, FoldwiseConfig config, Provenance provenance) {

    public void write(Storage storage, RunLayout layout, String status, JsonNode data, Instant finished,
                      String error) {
        ObjectNode n = Json.object();
        n.put("runId", runId);
        n.put("command", command);
        n.put("status", status);
        n.set("provenance", provenance.toJson());
        if (finished != null) {
            n.put("finished", finished.toString());
            n.put("seconds", Duration.between(provenance.started(), finished).toMillis() / 1000.0);
        }
        if (error != null) {
            n.put("error", error);
        }
        if (data != null) {
            n.set("data", data);
        }
        n.set("config", Json.raw(config.toJson()));
        storage.writeString(layout.runJson(), Json.render(n));
    }

    /**
     * Reads a run's run.json (for status, report and predict, which work from stored state only).
     *
     * @throws FoldwiseException (usage) if {@code layout} holds no run.json, i.e. is not a run directory
     */
    public static JsonNode read(Storage storage, RunLayout layout) {
        if (!storage.exists(layout.runJson())) {
            throw new FoldwiseException(FoldwiseException.USAGE, layout.runDir() + " is not a run directory (it has"
                    + " no run.json); pass the directory a train or sweep run wrote, <output>/<run-id>");
        }
        return Json.parse(storage.readString(layout.runJson()));
    }

    /**
     * The validated config a run recorded. Keys added to reference.conf since the run was written
     * take their defaults.
     *
     * @throws FoldwiseException (usage) if run.json holds no config
     */
    public static FoldwiseConfig config(JsonNode runJson) {
        JsonNode stored = runJson.path("config");
        if (!stored.isObject()) {
            throw new FoldwiseException(FoldwiseException.USAGE, "run.json of run " + runJson.path("runId").asText()
                    + " holds no config; it was not written by Foldwise");
        }
        // The stored architecture is complete: merging the default's keys into it could mix mlp and cnn.
        return ConfigLoader.fromConfig(ConfigFactory.parseString(stored.toString())
                .withFallback(ConfigLoader.reference().withoutPath("train.architecture")).resolve());
    }
}
