package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.foldwise.FoldwiseException;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * run.json: the resolved config and provenance of a run, its status and facts about its data.
 * Rewritten atomically as the run progresses ({@link #started}, then {@link #ended}).
 *
 * <p>Every JSON file a run writes names its keys in camelCase. Runs written before that convention
 * (format version 1, no {@code formatVersion} key) differ only in diagnosis.json, whose reader
 * accepts the old snake_case names too; {@link #FORMAT_VERSION} says which convention a run used.
 *
 * @param formatVersion the file convention the run was written with (1 when run.json has none)
 * @param config        the resolved configuration as JSON ({@link #foldwiseConfig} validates it)
 * @param data          empty until the run has read its training data
 * @param finished      when the run ended (finished, failed or interrupted)
 * @param seconds       run time, with {@code finished}
 * @param trialsCommitted for an interrupted sweep, the trials committed when it stopped
 * @param transferSources the saved models the run's networks started from ({@code train.transfer.from}),
 *                        empty when every network trained from scratch
 */
public record RunRecord(int formatVersion, String runId, String command, RunState status, Provenance provenance,
                        Optional<DataFacts> data, JsonNode config, Optional<String> error,
                        Optional<Instant> finished, OptionalDouble seconds, OptionalLong trialsCommitted,
                        List<TransferSource> transferSources) {
    /** The convention this code writes: 2 = camelCase in every JSON file. */
    public static final int CURRENT_FORMAT = 2;

    public static final String FORMAT_VERSION = "formatVersion";
    public static final String RUN_ID = "runId";
    public static final String COMMAND = "command";
    public static final String STATUS = "status";
    public static final String PROVENANCE = "provenance";
    public static final String FINISHED = "finished";
    public static final String SECONDS = "seconds";
    public static final String ERROR = "error";
    public static final String DATA = "data";
    public static final String CONFIG = "config";
    public static final String TRIALS_COMMITTED = "trialsCommitted";
    public static final String TRANSFER_SOURCES = "transferSources";

    public RunRecord {
        transferSources = List.copyOf(transferSources);
    }

    /** The record of a run that starts now. */
    public static RunRecord started(String runId, String command, FoldwiseConfig config, Provenance provenance) {
        return new RunRecord(CURRENT_FORMAT, runId, command, RunState.RUNNING, provenance, Optional.empty(),
                Json.raw(config.toJson()), Optional.empty(), Optional.empty(), OptionalDouble.empty(),
                OptionalLong.empty(), List.of());
    }

    /** This record naming the models the run's networks start from. */
    public RunRecord withTransferSources(List<TransferSource> sources) {
        return new RunRecord(formatVersion, runId, command, status, provenance, data, config, error, finished, seconds,
                trialsCommitted, sources);
    }

    /** This run ended {@code now} in {@code status} ({@code error} for a failure) with its data facts. */
    public RunRecord ended(RunState status, Optional<DataFacts> facts, Instant now, Optional<String> error) {
        return new RunRecord(formatVersion, runId, command, status, provenance, facts, config, error,
                Optional.of(now), OptionalDouble.of(Duration.between(provenance.started(), now).toMillis() / 1000.0),
                trialsCommitted, transferSources);
    }

    /** This run, still running, with the data facts it has read (written as soon as it knows them). */
    public RunRecord withData(Optional<DataFacts> facts) {
        return new RunRecord(formatVersion, runId, command, status, provenance, facts, config, error, finished, seconds,
                trialsCommitted, transferSources);
    }

    /** This run was stopped from outside {@code now} with {@code committed} trials committed (a sweep). */
    public RunRecord interrupted(Optional<DataFacts> facts, Instant now, String why, OptionalLong committed) {
        RunRecord ended = ended(RunState.INTERRUPTED, facts, now, Optional.of(why));
        return new RunRecord(formatVersion, runId, command, RunState.INTERRUPTED, provenance, facts, config,
                ended.error, ended.finished, ended.seconds, committed, transferSources);
    }

    /** True for a sweep's run.json (else a train run's). */
    public boolean sweep() {
        return "sweep".equals(command);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(FORMAT_VERSION, formatVersion);
        n.put(RUN_ID, runId);
        n.put(COMMAND, command);
        n.put(STATUS, status.json());
        n.set(PROVENANCE, provenance.toJson());
        finished.ifPresent(f -> n.put(FINISHED, f.toString()));
        seconds.ifPresent(s -> n.put(SECONDS, s));
        error.ifPresent(e -> n.put(ERROR, e));
        trialsCommitted.ifPresent(c -> n.put(TRIALS_COMMITTED, c));
        data.ifPresent(d -> n.set(DATA, d.toJson()));
        if (!transferSources.isEmpty()) {
            n.set(TRANSFER_SOURCES, Json.array(transferSources.stream().map(TransferSource::toJson).toList()));
        }
        n.set(CONFIG, config);
        return n;
    }

    /**
     * Reads what {@link #toJson} writes, and run.json of earlier versions.
     *
     * @throws FoldwiseException (usage) if it names no known status or no start time: not Foldwise's
     */
    public static RunRecord fromJson(JsonNode n) {
        String runId = n.path(RUN_ID).asText();
        RunState status = RunState.parse(n.path(STATUS).asText()).orElseThrow(() -> notFoldwise(runId,
                "status \"" + n.path(STATUS).asText() + "\""));
        Provenance provenance;
        Optional<Instant> finished;
        try {
            provenance = Provenance.fromJson(n.path(PROVENANCE));
            finished = n.hasNonNull(FINISHED) ? Optional.of(Instant.parse(n.path(FINISHED).asText()))
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            throw notFoldwise(runId, "time (" + e.getParsedString() + ")");
        }
        return new RunRecord(n.path(FORMAT_VERSION).asInt(1), runId, n.path(COMMAND).asText(), status, provenance,
                DataFacts.fromJson(n.path(DATA)), n.path(CONFIG),
                n.hasNonNull(ERROR) ? Optional.of(n.path(ERROR).asText()) : Optional.empty(), finished,
                n.has(SECONDS) ? OptionalDouble.of(n.path(SECONDS).asDouble()) : OptionalDouble.empty(),
                n.has(TRIALS_COMMITTED) ? OptionalLong.of(n.path(TRIALS_COMMITTED).asLong()) : OptionalLong.empty(),
                transferSources(n.path(TRANSFER_SOURCES)));
    }

    private static List<TransferSource> transferSources(JsonNode array) {
        List<TransferSource> out = new ArrayList<>();
        array.forEach(s -> out.add(TransferSource.fromJson(s)));
        return out;
    }

    private static FoldwiseException notFoldwise(String runId, String what) {
        return new FoldwiseException(FoldwiseException.USAGE, "run.json of run " + runId + " holds no valid " + what
                + "; it was not written by Foldwise");
    }

    /** Writes run.json, atomically. */
    public void write(Storage storage, RunLayout layout) {
        storage.writeString(layout.runJson(), Json.render(toJson()));
    }

    /**
     * Reads a run's run.json (for status, report and predict, which work from stored state only).
     *
     * @throws FoldwiseException (usage) if {@code layout} holds no run.json, i.e. is not a run directory
     * @throws UnreadableRunException (usage) if run.json is truncated or not JSON
     */
    public static RunRecord read(Storage storage, RunLayout layout) {
        if (!storage.exists(layout.runJson())) {
            throw new FoldwiseException(FoldwiseException.USAGE, layout.runDir() + " is not a run directory (it has"
                    + " no run.json); pass the directory a train or sweep run wrote, <output>/<run-id>");
        }
        String text = storage.readString(layout.runJson());
        JsonNode json;
        try {
            json = Json.parse(text);
        } catch (UncheckedIOException e) {
            throw unreadable(layout, "it is not valid JSON: " + e.getCause().getMessage().lines().findFirst().orElse(""), e);
        }
        if (!json.isObject()) {
            throw unreadable(layout, "it is empty or not a JSON object", null);
        }
        return fromJson(json);
    }

    private static UnreadableRunException unreadable(RunLayout layout, String why, Throwable cause) {
        return new UnreadableRunException(layout.runJson() + " cannot be read (" + why + "). `sweep --force` with "
                + "the same --run-id clears " + layout.runDir() + " and runs it again from scratch (the trials "
                + "committed there are retrained); or restore run.json, or choose another --run-id.", cause);
    }

    /**
     * The validated config the run recorded. Keys added to reference.conf since the run was written
     * take their defaults.
     *
     * @throws FoldwiseException (usage) if run.json holds no config
     */
    public FoldwiseConfig foldwiseConfig() {
        if (!config.isObject()) {
            throw new FoldwiseException(FoldwiseException.USAGE, "run.json of run " + runId
                    + " holds no config; it was not written by Foldwise");
        }
        // The stored architecture is complete: merging the default's keys into it could mix mlp and cnn.
        return ConfigLoader.fromConfig(ConfigFactory.parseString(config.toString())
                .withFallback(ConfigLoader.reference().withoutPath("train.architecture")).resolve());
    }
}
