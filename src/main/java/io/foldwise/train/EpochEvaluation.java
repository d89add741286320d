package io.foldwise.train;

import io.foldwise.train.Evaluator.Counts;
import java.io.Serializable;
import java.util.List;
import java.util.function.Predicate;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The measurements after one epoch, from the shards: J_train on the training originals (a
 * stratified sample before the last epoch, all of them at the last), on every trained row too when
 * training was augmented (last epoch), and J_cv on the validation set. Counts from several tasks
 * add up ({@link #merge}).
 */
final class EpochEvaluation implements Serializable {
    private static final int EVAL_BATCH = 256;

    /** Training originals measured (sample or all). */
    final Counts train;
    /** Every trained row, originals and copies; measured at the last epoch of augmented training. */
    final Counts trainAll;
    /** The validation set; empty counts when there is none. */
    final Counts validation;

    EpochEvaluation(int numClasses) {
        train = new Counts(numClasses);
        trainAll = new Counts(numClasses);
        validation = new Counts(numClasses);
    }

    /**
     * Which training rows to measure: all originals of the trained subsample at the last epoch (or
     * when the sample would hold them all), else a nested stratified sample of about
     * {@code plan.trainSample()} of them.
     */
    static Predicate<Shards.Record> trainRows(FitPlan plan, long trainedOriginals, boolean last) {
        double fraction = plan.fraction();
        if (last || plan.trainSample() <= 0 || trainedOriginals <= plan.trainSample()) {
            return r -> r.original() && r.inSubsample(fraction);
        }
        double sample = fraction * plan.trainSample() / (double) trainedOriginals;
        return r -> r.original() && r.inSubsample(sample);
    }

    /**
     * Measures {@code net} on {@code trainFiles} (rows {@code trainRows} accepts; with
     * {@code allRows}, every trained row as well) and {@code validationFiles}.
     */
    void measure(ShardStream stream, MultiLayerNetwork net, FitPlan plan, List<String> trainFiles,
                 Predicate<Shards.Record> trainRows, boolean allRows, List<String> validationFiles) {
        if (allRows) {
            // One pass over the files: originals and copies go to separate minibatches.
            ShardStream.Batcher originals = stream.new Batcher(EVAL_BATCH, batch -> {
                train.add(net, batch);
                trainAll.add(net, batch);
            });
            ShardStream.Batcher copies = stream.new Batcher(EVAL_BATCH, batch -> trainAll.add(net, batch));
            double fraction = plan.fraction();
            stream.forEach(trainFiles, r -> r.inSubsample(fraction),
                    r -> (r.original() ? originals : copies).add(r.features(), r.label()));
            originals.flush();
            copies.flush();
        } else {
            stream.batches(trainFiles, trainRows, EVAL_BATCH, batch -> train.add(net, batch));
        }
        stream.batches(validationFiles, r -> true, EVAL_BATCH, batch -> validation.add(net, batch));
    }

    EpochEvaluation merge(EpochEvaluation other) {
        train.merge(other.train);
        trainAll.merge(other.trainAll);
        validation.merge(other.validation);
        return this;
    }

    /** The curve's row for this epoch; {@code penalty} is the network's L2 term. */
    EpochStats stats(int epoch, double penalty, double fitSeconds) {
        double trainLoss = loss(train);
        boolean validated = validation.count > 0;
        return new EpochStats(epoch, trainLoss + penalty, trainLoss, validated ? loss(validation) : Double.NaN,
                accuracy(train), validated ? accuracy(validation) : Double.NaN, fitSeconds, false);
    }

    private static double loss(Counts c) {
        return c.count == 0 ? Double.NaN : c.lossSum / c.count;
    }

    private static double accuracy(Counts c) {
        if (c.count == 0) {
            return Double.NaN;
        }
        long right = 0;
        for (int i = 0; i < c.confusion.length; i++) {
            right += c.confusion[i][i];
        }
        return right / (double) c.count;
    }
}
