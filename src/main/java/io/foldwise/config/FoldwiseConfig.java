package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/**
 * The whole validated configuration of a run.
 *
 * @param source the merged HOCON (reference defaults, file, overrides) the records were read from;
 *               kept so that runs can record it and sweeps can derive grid points from it
 */
public record FoldwiseConfig(RunConfig run, DataConfig data, IngestConfig ingest, TrainConfig train,
                             Config source) {

    /** The resolved configuration as JSON, for run.json. */
    public String toJson() {
        return source.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
