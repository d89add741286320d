package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.FoldwiseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive claim on a run directory, held as a lock file on the run's own storage so that it
 * works across hosts. The owner refreshes it (a heartbeat) while it runs; a lock not refreshed
 * for {@code staleSeconds}, or whose owner process is gone from this host, is taken over.
 */
public final class RunLock implements AutoCloseable {
    /** Foldwise's progress logger (store must not depend on report). */
    private static final Logger LOG = LoggerFactory.getLogger("foldwise");

    private final Storage storage;
    private final Path file;
    private final String token;
    private final ScheduledExecutorService heartbeat;

    private RunLock(Storage storage, Path file, String token, int staleSeconds) {
        this.storage = storage;
        this.file = file;
        this.token = token;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "foldwise-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, staleSeconds / 4);
        heartbeat.scheduleAtFixedRate(this::beat, period, period, TimeUnit.SECONDS);
    }

    /**
     * Takes the lock or fails with a usage error naming the owner's host, pid and start time.
     */
    public static RunLock acquire(Storage storage, Path file, int staleSeconds) {
        FileSystem fs = storage.fs(file);
        try {
            if (fs.exists(file)) {
                JsonNode owner = readOwner(storage, file);
                long age = (System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime()) / 1000;
                boolean gone = ownerGone(owner);
                if (age < staleSeconds && !gone) {
                    throw inUse(file, owner, age, staleSeconds);
                }
                LOG.warn("taking over the lock {} of host {}, pid {}, started {}: {}", file,
                        owner.path("host").asText("?"), owner.path("pid").asText("?"),
                        owner.path("started").asText("?"), gone ? "that process is gone"
                                : "no heartbeat for " + age + "s (run.lockStaleSeconds = " + staleSeconds + ")");
                fs.delete(file, false);
            }
            String token = UUID.randomUUID().toString();
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(Json.render(ownerJson(token)).getBytes(StandardCharsets.UTF_8));
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                throw inUse(file, readOwner(storage, file), 0, staleSeconds);
            }
            return new RunLock(storage, file, token, staleSeconds);
        } catch (IOException e) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private void beat() {
        try {
            JsonNode owner = readOwner(storage, file);
            if (token.equals(owner.path("token").asText())) {
                ObjectNode n = (ObjectNode) owner;
                n.put("heartbeat", Instant.now().toString());
                storage.writeString(file, Json.render(n));
            }
        } catch (RuntimeException e) {
            LOG.warn("lock heartbeat on {} failed: {}", file, e.getMessage());
        }
    }

    /** Stops the heartbeat and removes the lock if it is still this process's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (storage.exists(file) && token.equals(readOwner(storage, file).path("token").asText())) {
                storage.delete(file);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock {}: {}", file, e.getMessage());
        }
    }

    private static ObjectNode ownerJson(String token) {
        ObjectNode n = Json.object();
        n.put("host", Provenance.hostName());
        n.put("pid", ProcessHandle.current().pid());
        n.put("started", Instant.now().toString());
        n.put("heartbeat", Instant.now().toString());
        n.put("token", token);
        return n;
    }

    private static JsonNode readOwner(Storage storage, Path file) {
        try {
            return Json.parse(storage.readString(file));
        } catch (RuntimeException e) {
            return Json.object(); // unreadable: treat by age alone
        }
    }

    /** The owner ran on this host and its process no longer exists. */
    private static boolean ownerGone(JsonNode owner) {
        if (!owner.has("pid") || !Provenance.hostName().equals(owner.path("host").asText())) {
            return false;
        }
        return ProcessHandle.of(owner.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true);
    }

    private static FoldwiseException inUse(Path file, JsonNode owner, long age, int staleSeconds) {
        return new FoldwiseException(FoldwiseException.USAGE, "run directory " + file.getParent()
                + " is in use by another Foldwise process (host " + owner.path("host").asText("?") + ", pid "
                + owner.path("pid").asText("?") + ", started " + owner.path("started").asText("?")
                + ", heartbeat " + age + "s ago); wait for it to finish, or use another --run-id. A lock not "
                + "refreshed for run.lockStaleSeconds = " + staleSeconds + " is taken over automatically.");
    }
}
