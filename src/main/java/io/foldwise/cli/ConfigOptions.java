package io.foldwise.cli;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a job. */
public final class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE", description = "HOCON config file (defaults: reference.conf).")
    Path conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one config key, e.g. --set train.epochs=3 (repeatable; wins over --conf).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--output", paramLabel = "URI",
            description = "Directory or URI for run directories (run.output), e.g. runs/ or hdfs://nn/runs.")
    String output;

    @Option(names = "--run-id", paramLabel = "ID", description = "Run id (run.id); default: the start time.")
    String runId;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master when not set by spark-submit (default local[*]).")
    String master;

    /** Loads the config with --output and --run-id applied as overrides. */
    FoldwiseConfig load() {
        List<String> all = new ArrayList<>(sets);
        if (output != null) {
            all.add("run.output=" + output);
        }
        if (runId != null) {
            all.add("run.id=" + runId);
        }
        return ConfigLoader.load(conf, all);
    }
}
