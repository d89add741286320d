package io.foldwise.config;

import java.util.Optional;

/**
 * Everything that defines how one network is trained. Each field is a hyperparameter that a
 * sweep may list under {@code sweep.grid} by the same name.
 *
 * @param architecture       the network's hidden layers (a transfer point's is its source's, see
 *                           {@link #withArchitecture})
 * @param transfer           from scratch, or from a saved model with frozen leading layers
 * @param l2                 λ, the L2 penalty on weights (not biases)
 * @param updater            adam or sgd
 * @param learningRate       the updater's learning rate
 * @param momentum           SGD momentum (0 = plain SGD); ignored by Adam
 * @param epochs             passes over the training data
 * @param batchSize          examples per minibatch, per worker
 * @param weightInit         weight initialisation scheme
 * @param seed               seed for initialisation, shuffling and the validation split
 * @param averagingFrequency minibatches each worker fits between parameter averages
 * @param workers            parallel workers for parameter averaging (0 = chosen from the network and
 *                           the data, see {@code io.foldwise.train.WorkerRule})
 * @param validationFraction fraction of the training data held out for validation by {@code train}
 * @param exportDir          shared directory for DL4J's exported minibatches; empty = under the run
 * @param divergenceFactor   training stops as diverged when its data loss exceeds this many times
 *                           the loss of guessing uniformly (ln of the class count); 0 = only NaN/infinity
 * @param trainSample        images J_train is measured on after each epoch but the last (a stratified
 *                           sample of the training originals); 0 = all of them every epoch
 * @param shuffleBuffer      images held at once to reshuffle the training examples every epoch
 * @param checkpointEvery    epochs between checkpoints of a one-worker fit (0 = none); an interrupted
 *                           fit continues from its newest checkpoint
 * @param earlyStopping      stop when J_cv stops improving and keep the best epoch's parameters
 * @param classWeights       more than two classes: none, or balanced (the loss weighs class c by
 *                           n / (k × n_c), from the training data's class counts)
 */
public record TrainConfig(ArchitectureSpec architecture, TransferSpec transfer, double l2, Updater updater, double learningRate,
                          double momentum, int epochs, int batchSize, WeightInit weightInit, long seed,
                          int averagingFrequency, int workers, double validationFraction,
                          Optional<String> exportDir, double divergenceFactor, int trainSample,
                          int shuffleBuffer, int checkpointEvery, EarlyStopping earlyStopping,
                          ClassWeights classWeights) {
    /** The key of the architecture, whose value is an object read by its own rules. */
    static final String ARCHITECTURE = "train.architecture";
    /** The key of the transfer section, whose value is an object read by its own rules. */
    static final String TRANSFER = "train.transfer";
    /** The key of early stopping, an object of two numbers. */
    static final String EARLY_STOPPING = "train.earlyStopping";

    public TrainConfig {
        Problems p = new Problems();
        p.check(architecture != null, "train.architecture", "be an mlp or cnn spec", "nothing");
        p.check(transfer != null, "train.transfer", "be {} or {from = ..., freeze = ...}", "nothing");
        p.check(l2 >= 0 && Double.isFinite(l2), "train.l2", "be a number >= 0", l2);
        p.check(learningRate > 0 && Double.isFinite(learningRate), "train.learningRate", "be a number > 0", learningRate);
        p.check(momentum >= 0 && momentum < 1, "train.momentum", "be in [0, 1)", momentum);
        p.check(epochs >= 1, "train.epochs", "be >= 1", epochs);
        p.check(batchSize >= 1, "train.batchSize", "be >= 1", batchSize);
        p.check(averagingFrequency >= 1, "train.averagingFrequency", "be >= 1", averagingFrequency);
        p.check(workers >= 0, "train.workers", "be >= 0 (0 = chosen by the rule in reference.conf)", workers);
        p.check(validationFraction > 0 && validationFraction < 1, "train.validationFraction", "be in (0, 1)",
                validationFraction);
        p.check(divergenceFactor >= 0, "train.divergenceFactor", "be >= 0 (0 = stop only on NaN or infinity)",
                divergenceFactor);
        p.check(trainSample >= 0, "train.trainSample", "be >= 0 (0 = every training image every epoch)",
                trainSample);
        p.check(shuffleBuffer >= 1, "train.shuffleBuffer", "be >= 1 image", shuffleBuffer);
        p.check(checkpointEvery >= 0, "train.checkpointEvery", "be >= 0 epochs (0 = no checkpoints)", checkpointEvery);
        p.check(earlyStopping != null, EARLY_STOPPING, "be {patience = N, minDelta = x}", "nothing");
        p.check(classWeights != null, "train.classWeights", "be none or balanced", "nothing");
        p.throwIfAny();
    }

    /**
     * Reads the {@code train} section, recording problems in {@code p} (once each); null if there were
     * any. A bad architecture is replaced by the reference one so that the other fields are still checked.
     */
    static TrainConfig read(ConfigReader r, Problems p) {
        int before = p.messages().size();
        ArchitectureSpec arch = r.architecture(ARCHITECTURE);
        ArchitectureSpec checked = arch != null ? arch : r.referenceArchitecture(ARCHITECTURE);
        TrainConfig t = p.collect(() -> new TrainConfig(checked, r.transfer(TRANSFER), r.number("train.l2"),
                r.choice("train.updater", Updater.class), r.number("train.learningRate"), r.number("train.momentum"),
                r.integer("train.epochs"), r.integer("train.batchSize"), r.choice("train.weightInit", WeightInit.class),
                r.longValue("train.seed"), r.integer("train.averagingFrequency"), r.integer("train.workers"),
                r.number("train.validationFraction"), r.optionalString("train.exportDir"),
                r.number("train.divergenceFactor"), r.integer("train.trainSample"),
                r.integer("train.shuffleBuffer"), r.integer("train.checkpointEvery"), earlyStopping(r, p),
                r.choice("train.classWeights", ClassWeights.class)));
        return arch == null || p.messages().size() > before ? null : t;
    }

    /**
     * This config with another architecture: a transfer point trains its source's network, whatever
     * {@code train.architecture} says, and reports and compares it as that architecture.
     */
    public TrainConfig withArchitecture(ArchitectureSpec other) {
        return new TrainConfig(other, transfer, l2, updater, learningRate, momentum, epochs, batchSize, weightInit,
                seed, averagingFrequency, workers, validationFraction, exportDir, divergenceFactor, trainSample,
                shuffleBuffer, checkpointEvery, earlyStopping, classWeights);
    }

    /**
     * This config with another epoch count and early-stopping rule: the refit's (chosen by
     * cross-validation, no early stopping) or a successive-halving rung's budget.
     */
    public TrainConfig withEpochs(int epochs, EarlyStopping earlyStopping) {
        return new TrainConfig(architecture, transfer, l2, updater, learningRate, momentum, epochs, batchSize,
                weightInit, seed, averagingFrequency, workers, validationFraction, exportDir, divergenceFactor,
                trainSample, shuffleBuffer, checkpointEvery, earlyStopping, classWeights);
    }

    private static EarlyStopping earlyStopping(ConfigReader r, Problems p) {
        EarlyStopping e = p.collect(() -> new EarlyStopping(r.integer(EARLY_STOPPING + ".patience"),
                r.number(EARLY_STOPPING + ".minDelta")));
        return e == null ? EarlyStopping.OFF : e;
    }
}
