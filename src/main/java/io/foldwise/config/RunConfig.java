package io.foldwise.config;

import java.util.Optional;

/**
 * Where a run writes and under which id.
 *
 * @param output storage URI or path holding run directories (file://, hdfs://, s3a://, or a local path)
 * @param id     the run id; generated from the time when empty
 */
public record RunConfig(String output, Optional<String> id) {
    public RunConfig {
        Problems p = new Problems();
        p.check(output != null && !output.isBlank(), "run.output", "name a directory or URI", "\"" + output + "\"");
        id.ifPresent(v -> p.check(v.matches("[A-Za-z0-9._-]+") && !v.startsWith("."), "run.id",
                "use only letters, digits, '.', '_' and '-' (and not start with '.')", "\"" + v + "\""));
        p.throwIfAny();
    }
}
