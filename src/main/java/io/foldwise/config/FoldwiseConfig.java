package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

/**
 * The whole validated configuration of a run.
 *
 * @param sweep         k-fold cross-validation and the hyperparameter grid
 * @param learningCurve the training-set fractions and points of the learning curves
 * @param diagnosis     baseline error and thresholds of the bias/variance diagnosis
 * @param augment       the augmentation of training images (train, sweep trials, refit)
 * @param source the merged HOCON (reference defaults, file, overrides) the records were read from;
 *               kept so that runs can record it and sweeps can derive grid points from it
 */
public record FoldwiseConfig(RunConfig run, DataConfig data, IngestConfig ingest, TrainConfig train,
                             SweepConfig sweep, LearningCurveConfig learningCurve, DiagnosisConfig diagnosis,
                             AugmentConfig augment, Config source) {

    /** The resolved configuration as JSON, for run.json. */
    public String toJson() {
        return source.root().render(ConfigRenderOptions.concise().setFormatted(true));
    }
}
