package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
}
