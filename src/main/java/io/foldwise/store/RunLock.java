package io.foldwise.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.FoldwiseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive claim on a run directory, held on the run's own storage so that it works across
 * hosts. The lock is a directory of generations: {@code _lock/<generation>} holds the owner
 * (host, pid, start, token) and {@code _lock/<generation>.beat} its heartbeat. The owner is the
 * highest generation. Taking the lock, first or over a stale owner, creates the next generation
 * file exclusively ({@link Storage#createExclusive}), so of two processes racing for it exactly
 * one wins. A lock whose heartbeat is older than {@code staleSeconds} on the store's clock
 * ({@link Storage#storeNow}), or whose owner process is gone from this host, is taken over.
 *
 * <p>The owner's heartbeat checks that no higher generation exists. When it finds one (taken
 * over) or cannot beat for most of {@code staleSeconds}, ownership is lost: {@link #check} fails
 * from then on and the {@code onLost} callback is told once, so the sweep stops.
 */
public final class RunLock implements AutoCloseable {
    /** Foldwise's progress logger (store must not depend on report). */
    private static final Logger LOG = LoggerFactory.getLogger("foldwise");
    private static final String BEAT = ".beat";

    private final Storage storage;
    private final Path dir;
    private final long generation;
    private final String token;
    private final int staleSeconds;
    private final Consumer<String> onLost;
    private final ScheduledExecutorService heartbeat;
    private volatile long lastBeat = System.nanoTime();
    private volatile String lost;

    private RunLock(Storage storage, Path dir, long generation, String token, int staleSeconds,
                    Consumer<String> onLost) {
        this.storage = storage;
        this.dir = dir;
        this.generation = generation;
        this.token = token;
        this.staleSeconds = staleSeconds;
        this.onLost = onLost;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "foldwise-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long periodMs = Math.max(250, staleSeconds * 1000L / 4);
        heartbeat.scheduleWithFixedDelay(this::beat, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock with no one to tell when it is lost (callers use {@link #check}). */
    public static RunLock acquire(Storage storage, Path dir, int staleSeconds) {
        return acquire(storage, dir, staleSeconds, reason -> { });
    }

    /**
     * Takes the lock or fails with a usage error naming the owner's host, pid and start time.
     *
     * @param onLost told (once, on the heartbeat thread) why ownership was lost
     */
    public static RunLock acquire(Storage storage, Path dir, int staleSeconds, Consumer<String> onLost) {
        if (isFile(storage, dir)) {
            takeOverLegacy(storage, dir, staleSeconds);
        }
        OptionalLong top = topGeneration(storage, dir);
        if (top.isPresent()) {
            Path owner = generationFile(dir, top.getAsLong());
            JsonNode who = readOwner(storage, owner);
            long age = ageSeconds(storage, dir, top.getAsLong());
            boolean gone = ownerGone(who);
            if (age < staleSeconds && !gone) {
                throw inUse(dir, who, age, staleSeconds);
            }
            LOG.warn("taking over the lock {} of host {}, pid {}, started {}: {}", dir, who.path("host").asText("?"),
                    who.path("pid").asText("?"), who.path("started").asText("?"), gone ? "that process is gone"
                            : "no heartbeat for " + age + "s (run.lockStaleSeconds = " + staleSeconds + ")");
        }
        long next = top.orElse(0) + 1;
        String token = UUID.randomUUID().toString();
        Path mine = generationFile(dir, next);
        if (!storage.createExclusive(mine, Json.render(ownerJson(token)).getBytes(StandardCharsets.UTF_8))) {
            throw inUse(dir, readOwner(storage, mine), 0, staleSeconds);
        }
        // The generations below are stale owners' leftovers; their heartbeats see ours and stop.
        for (long g = next - 1; g >= 1 && g >= next - 3; g--) {
            storage.deleteQuietly(generationFile(dir, g));
            storage.deleteQuietly(beatFile(dir, g));
        }
        return new RunLock(storage, dir, next, token, staleSeconds, onLost);
    }

    /** This lock's generation (1 for the first owner of the run directory). */
    public long generation() {
        return generation;
    }

    /** Why ownership was lost, or empty while this process holds the lock. */
    public Optional<String> lost() {
        return Optional.ofNullable(lost);
    }

    /** Fails (exit 1) when ownership was lost; call before writing into the run directory. */
    public void check() {
        String why = lost;
        if (why != null) {
            throw lostException(dir, why);
        }
    }

    /** The error a sweep that lost its lock ends with. */
    public static FoldwiseException lostException(Path dir, String why) {
        return new FoldwiseException(FoldwiseException.RUNTIME, "this sweep lost its lock on " + dir.getParent()
                + " (" + why + ") and stopped without writing more; the run belongs to the new owner. Check that "
                + "run.lockStaleSeconds is longer than the longest pause of this process or of the storage.");
    }

    private void beat() {
        if (lost != null) {
            return;
        }
        try {
            OptionalLong top = topGeneration(storage, dir);
            Path mine = generationFile(dir, generation);
            if (top.isEmpty() || top.getAsLong() > generation || !storage.exists(mine)
                    || !token.equals(readOwner(storage, mine).path("token").asText())) {
                String by = top.isPresent() && top.getAsLong() != generation
                        ? describe(readOwner(storage, generationFile(dir, top.getAsLong()))) : "nobody";
                lose("taken over by " + by);
                return;
            }
            storage.writeString(beatFile(dir, generation), Instant.now().toString());
            lastBeat = System.nanoTime();
        } catch (RuntimeException e) {
            long silentMs = (System.nanoTime() - lastBeat) / 1_000_000;
            LOG.warn("lock heartbeat on {} failed ({}s without one): {}", dir, silentMs / 1000, e.getMessage());
            if (silentMs > staleSeconds * 750L) {
                lose("no heartbeat could be written for " + silentMs / 1000 + "s, so another process may take it over: "
                        + e.getMessage());
            }
        }
    }

    private synchronized void lose(String why) {
        if (lost == null) {
            lost = why;
            LOG.error("lost the lock {}: {}", dir, why);
            onLost.accept(why);
        }
    }

    /** Stops refreshing the lock without releasing it (what a paused or hung owner looks like). */
    void stopHeartbeat() {
        heartbeat.shutdownNow();
    }

    /** Stops the heartbeat and removes this generation if it is still the owner. */
    @Override
    public void close() {
        stopHeartbeat();
        try {
            OptionalLong top = topGeneration(storage, dir);
            if (lost == null && top.isPresent() && top.getAsLong() == generation) {
                storage.delete(beatFile(dir, generation));
                storage.delete(generationFile(dir, generation));
                storage.deleteQuietly(dir, false);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not release the lock {}: {}", dir, e.getMessage());
        }
    }

    /**
     * How long ago (on the store's clock) the owner of the lock at {@code dir} last beat, or empty
     * if no one holds it. Status uses it to call a "running" run whose owner stopped beating stale.
     */
    public static OptionalLong heartbeatAge(Storage storage, Path dir) {
        if (isFile(storage, dir)) {
            return OptionalLong.of((storage.storeNow(dir.getParent()) - storage.modificationTime(dir)) / 1000);
        }
        OptionalLong top = topGeneration(storage, dir);
        return top.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ageSeconds(storage, dir, top.getAsLong()));
    }

    private static long ageSeconds(Storage storage, Path dir, long generation) {
        Path beat = beatFile(dir, generation);
        Path stamped = storage.exists(beat) ? beat : generationFile(dir, generation);
        try {
            return Math.max(0, (storage.storeNow(dir) - storage.modificationTime(stamped)) / 1000);
        } catch (RuntimeException e) {
            return 0; // released meanwhile: treat as fresh, the exclusive create decides
        }
    }

    private static OptionalLong topGeneration(Storage storage, Path dir) {
        OptionalLong top = OptionalLong.empty();
        for (String name : storage.list(dir)) {
            if (name.matches("\\d{1,18}")) {
                long g = Long.parseLong(name);
                if (top.isEmpty() || g > top.getAsLong()) {
                    top = OptionalLong.of(g);
                }
            }
        }
        return top;
    }

    private static Path generationFile(Path dir, long generation) {
        return new Path(dir, String.format("%012d", generation));
    }

    private static Path beatFile(Path dir, long generation) {
        return new Path(dir, String.format("%012d", generation) + BEAT);
    }

    private static boolean isFile(Storage storage, Path path) {
        try {
            return storage.fs(path).getFileStatus(path).isFile();
        } catch (IOException e) {
            return false;
        }
    }

    /** A lock file written by an earlier version: one file, refreshed in place. */
    private static void takeOverLegacy(Storage storage, Path file, int staleSeconds) {
        JsonNode who = readOwner(storage, file);
        long age = (storage.storeNow(file.getParent()) - storage.modificationTime(file)) / 1000;
        if (age < staleSeconds && !ownerGone(who)) {
            throw inUse(file, who, age, staleSeconds);
        }
        LOG.warn("removing the stale lock file {} of an earlier version ({})", file, describe(who));
        storage.delete(file);
    }

    private static ObjectNode ownerJson(String token) {
        ObjectNode n = Json.object();
        n.put("host", Provenance.hostName());
        n.put("pid", ProcessHandle.current().pid());
        n.put("started", Instant.now().toString());
        n.put("token", token);
        return n;
    }

    private static JsonNode readOwner(Storage storage, Path file) {
        try {
            JsonNode n = Json.parse(storage.readString(file));
            return n.isObject() ? n : Json.object();
        } catch (RuntimeException e) {
            return Json.object(); // unreadable or not there any more: judged by age alone
        }
    }

    /** The owner ran on this host and its process no longer exists. */
    private static boolean ownerGone(JsonNode owner) {
        if (!owner.has("pid") || !Provenance.hostName().equals(owner.path("host").asText())) {
            return false;
        }
        return ProcessHandle.of(owner.path("pid").asLong()).map(p -> !p.isAlive()).orElse(true);
    }

    private static String describe(JsonNode owner) {
        return "host " + owner.path("host").asText("?") + ", pid " + owner.path("pid").asText("?") + ", started "
                + owner.path("started").asText("?");
    }

    private static FoldwiseException inUse(Path dir, JsonNode owner, long age, int staleSeconds) {
        return new FoldwiseException(FoldwiseException.USAGE, "run directory " + dir.getParent()
                + " is in use by another Foldwise process (" + describe(owner) + ", heartbeat " + age
                + "s ago); wait for it to finish, or use another --run-id. A lock not refreshed for "
                + "run.lockStaleSeconds = " + staleSeconds + " is taken over automatically.");
    }
}
