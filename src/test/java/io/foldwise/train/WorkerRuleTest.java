package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker rule: from the config and the data alone, one worker unless averaging pays. */
class WorkerRuleTest {
    private static final ImageShape MNIST = new ImageShape(28, 28, 1);

    private static TrainConfig train(String... sets) {
        List<String> all = new ArrayList<>(List.of(sets));
        return ConfigLoader.load(null, all).train();
    }

    @Test
    void everyMnistMlpGetsOneWorker() {
        for (String arch : List.of("{mlp=[64]}", "{mlp=[128,64]}", "{mlp=[256]}")) {
            WorkerRule rule = WorkerRule.of(train("train.architecture=" + arch, "train.averagingFrequency=20"),
                    MNIST, 10, 8000);
            assertThat(rule.workers()).as(arch).isEqualTo(1);
            assertThat(rule.reason()).contains("one worker");
        }
    }

    @Test
    void multiplyAddsCountDenseWeightsOnceAndConvolutionWeightsPerOutputPosition() {
        assertThat(WorkerRule.multiplyAdds(train("train.architecture={mlp=[256]}"), MNIST, 10))
                .isEqualTo(784.0 * 256 + 256 * 10);
        // conv 8 filters 3x3 on 28x28x1 -> 26x26x8, then dense 10 on 5408 inputs.
        assertThat(WorkerRule.multiplyAdds(train("train.architecture={cnn=[{conv=8, kernel=3}], dense=[]}"), MNIST, 10))
                .isEqualTo(1 * 8 * 9 * 26.0 * 26 + 26 * 26 * 8 * 10);
    }

    @Test
    void aRoundWithSecondsOfComputeGetsWorkersBoundedByTheData() {
        TrainConfig big = train("train.architecture={cnn=[{conv=64, kernel=5}, {conv=64, kernel=5}], dense=[512]}",
                "train.averagingFrequency=200", "train.batchSize=64");
        WorkerRule many = WorkerRule.of(big, new ImageShape(64, 64, 3), 10, 1_000_000);
        assertThat(many.workers()).isEqualTo(WorkerRule.MAX_AUTO_WORKERS);
        // 64 minibatches per epoch at frequency 200: fewer than 2 rounds per worker, so one worker.
        assertThat(WorkerRule.of(big, new ImageShape(64, 64, 3), 10, 64L * 64).workers()).isEqualTo(1);
    }

    @Test
    void anExplicitWorkerCountWins() {
        WorkerRule rule = WorkerRule.of(train("train.workers=3"), MNIST, 10, 100);
        assertThat(rule.workers()).isEqualTo(3);
        assertThat(rule.reason()).contains("train.workers = 3");
    }
}
