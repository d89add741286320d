package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.EpochStats;
import io.foldwise.train.StopPoint;
import io.foldwise.train.TrainMetrics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping in both trainers (one worker inside one task; two averaging workers), through the
 * train command: a minDelta no epoch can beat makes epoch 1 the best, so training stops after
 * {@code patience} more epochs and must restore epoch 1's parameters.
 */
class EarlyStoppingIT {
    @TempDir
    static Path output;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void stopsAndRestoresTheBestEpochsParameters(int workers) {
        FoldwiseConfig config = ConfigLoader.load(null, List.of(
                "data.train=" + TestSpark.sample("train"),
                "data.limit=600",
                "run.output=" + output,
                "run.id=es" + workers,
                "train.architecture={mlp=[16]}",
                "train.workers=" + workers,
                "train.averagingFrequency=5",
                "train.epochs=6",
                "train.earlyStopping.patience=2",
                "train.earlyStopping.minDelta=100"));
        TrainJob.Result result = TrainJob.run(TestSpark.session(), config);
        RunLayout run = result.layout();
        Storage storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());

        List<EpochStats> curve = EpochStats.fromCsv(storage.readString(run.curveCsv()));
        assertThat(curve).extracting(EpochStats::epoch).containsExactly(1, 2, 3);
        assertThat(EpochStats.bestEpoch(curve)).isEqualTo(1);
        assertThat(curve).filteredOn(EpochStats::best).hasSize(1);

        TrainMetrics metrics = TrainMetrics.fromJson(Json.parse(storage.readString(run.metricsJson())));
        assertThat(metrics.stop()).isEqualTo(new StopPoint(3, 1));
        // The kept network is epoch 1's: its J_cv is the one recorded for epoch 1, not the last epoch's.
        double finalJcv = metrics.validation().orElseThrow().dataLoss();
        assertThat(finalJcv).isCloseTo(curve.get(0).validationLoss(), within(2e-6));
        assertThat(Math.abs(finalJcv - curve.get(2).validationLoss())).isGreaterThan(1e-5);
        assertThat(result.model().bestEpoch()).isEqualTo(1);
        // and J_train is measured on all training originals (the final metrics), not a sample
        JsonNode raw = Json.parse(storage.readString(run.metricsJson()));
        assertThat(raw.path("train").path("count").asLong()).isEqualTo(480);
    }
}
