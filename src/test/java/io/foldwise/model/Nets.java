package io.foldwise.model;

import io.foldwise.config.ConfigLoader;
import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import java.util.List;

/** Train configs for model tests, read through the real config loader from --set style overrides. */
final class Nets {
    static final ImageShape MNIST = new ImageShape(28, 28, 1);
    /** The seed CNN of the brief. */
    static final String SEED_CNN = "train.architecture={cnn=[{conv=32,kernel=4,activation=relu},{pool=max,kernel=3},"
            + "{conv=64,kernel=4,activation=relu},{pool=max,kernel=3}],dense=[64]}";

    private Nets() {
    }

    static TrainConfig train(String... overrides) {
        return ConfigLoader.trainConfig(ConfigLoader.merge(null, List.of(overrides)));
    }
}
