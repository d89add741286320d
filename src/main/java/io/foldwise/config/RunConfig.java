package io.foldwise.config;

import java.util.Optional;

/**
 * Where a run writes and under which id.
 *
 * @param output           storage URI or path holding run directories (file://, hdfs://, s3a://, or a local path)
 * @param id               the run id; generated from the time when empty
 * @param lockStaleSeconds a run lock whose heartbeat is older than this is taken over
 */
public record RunConfig(String output, Optional<String> id, int lockStaleSeconds) {
    /** Default staleness of a run lock. */
    public static final int DEFAULT_LOCK_STALE_SECONDS = 120;

    public RunConfig(String output, Optional<String> id) {
        this(output, id, DEFAULT_LOCK_STALE_SECONDS);
    }

    public RunConfig {
        Problems p = new Problems();
        p.check(lockStaleSeconds >= 5, "run.lockStaleSeconds", "be >= 5", lockStaleSeconds);
        p.check(output != null && !output.isBlank(), "run.output", "name a directory or URI", "\"" + output + "\"");
        id.ifPresent(v -> p.check(v.matches("[A-Za-z0-9._-]+") && !v.startsWith("."), "run.id",
                "use only letters, digits, '.', '_' and '-' (and not start with '.')", "\"" + v + "\""));
        p.throwIfAny();
    }
}
