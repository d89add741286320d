package io.foldwise.train;

import io.foldwise.train.ShardStream.ShuffleBuffer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.commons.lang3.SerializationUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one network with one worker inside one Spark task, for all its epochs: the network, the
 * minibatches streamed from the prepared shards and the per-epoch evaluation live in that task.
 * With one worker, parameter averaging would only average the model with itself; here a fit costs
 * one Spark job instead of one per averaging round and per evaluation. Every epoch reshuffles the
 * training examples, seeded by the train seed and the epoch. With a checkpoint directory in the plan,
 * the task saves a {@link Checkpoint} every {@code checkpointEvery} epochs and starts from the newest
 * one it finds, so a retried task or a resumed run continues the fit where it stopped. With early
 * stopping the loop ends when J_cv stops improving and the best epoch's parameters are restored
 * ({@link BestEpoch}); such a fit keeps no checkpoints (the best epoch's parameters would have to
 * travel with them) and a retried task starts it again.
 */
public final class TaskTrainer {
    /**
     * Test hook, off unless a test sets this Spark property (or job-local property): the fit's task
     * fails right after the given epoch (and its checkpoint, if one is due), as if killed there.
     */
    public static final String STOP_AFTER_EPOCH = "spark.foldwise.test.stopAfterEpoch";

    private TaskTrainer() {
    }

    /** What the task sends back: small, whatever the data size. */
    record Outcome(List<EpochStats> curve, EpochEvaluation last, double penalty, float[] params,
                   float[] updaterState, int divergedEpoch, int bestEpoch, double seconds) implements Serializable {
    }

    /**
     * Runs {@code plan} as one Spark job of one task and returns the trained network.
     *
     * @throws DivergedException when the training loss became NaN, infinite or too large
     */
    public static TrainedModel fit(JavaSparkContext sc, FitPlan plan, List<String> labels, double learningRate,
                                   Consumer<EpochStats> onEpoch) {
        SerializableHadoopConfig hadoop = new SerializableHadoopConfig(sc.hadoopConfiguration());
        String stop = sc.getLocalProperty(STOP_AFTER_EPOCH);
        int stopAfter = Integer.parseInt(stop != null ? stop : sc.getConf().get(STOP_AFTER_EPOCH, "0"));
        // The plan travels in the closure and the outcome as bytes, both by Java serialization: Kryo
        // (spark.serializer) cannot build serializers for records.
        byte[] bytes = sc.parallelize(List.of(0), 1)
                .map(i -> SerializationUtils.serialize(run(plan, hadoop.getConfiguration(), stopAfter))).collect().get(0);
        Outcome out = JavaBytes.read(bytes);
        out.curve().forEach(onEpoch);
        if (out.divergedEpoch() > 0) {
            EpochStats last = out.curve().get(out.curve().size() - 1);
            throw new DivergedException(out.divergedEpoch(), last.trainDataLoss(), learningRate, out.curve());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(plan.network()));
        net.init(Nd4j.create(out.params(), new long[] {1, out.params().length}, 'c'), false);
        if (out.updaterState() != null) {
            net.getUpdater().getStateViewArray().assign(
                    Nd4j.create(out.updaterState(), new long[] {1, out.updaterState().length}, 'c'));
        }
        return TrainedModel.of(net, out.curve(), out.last(), labels, out.penalty(), out.seconds(), out.bestEpoch());
    }

    /** The task's body; {@code stopAfter} > 0 is {@link #STOP_AFTER_EPOCH}. */
    static Outcome run(FitPlan plan, Configuration conf, int stopAfter) {
        long start = System.nanoTime();
        MultiLayerNetwork net = plan.newNetwork();
        List<EpochStats> curve = new ArrayList<>();
        Optional<Checkpoint> resumed = plan.patience() == 0 ? Checkpoint.resumable(conf, plan) : Optional.empty();
        resumed.ifPresent(c -> {
            c.restore(net);
            curve.addAll(c.curve());
        });
        double before = resumed.map(Checkpoint::seconds).orElse(0.0);
        ShardStream stream = new ShardStream(conf, plan.inputSize(), plan.numClasses());
        List<String> trainFiles = plan.train().shards().files(conf, plan.train().groups());
        List<String> validationFiles = plan.validation() == null ? List.of()
                : plan.validation().shards().files(conf, plan.validation().groups());
        ShuffleBuffer buffer = new ShuffleBuffer(Math.max(plan.batchSize(), plan.shuffleBuffer()), plan.inputSize());
        double fraction = plan.fraction();
        long[] trained = new long[2]; // rows trained on per epoch, originals among them
        Predicate<Shards.Record> counted = r -> {
            if (!r.inSubsample(fraction)) {
                return false;
            }
            trained[0]++;
            if (r.original()) {
                trained[1]++;
            }
            return true;
        };

        EpochEvaluation eval = null;
        double penalty = 0;
        BestEpoch best = plan.bestEpoch();
        curve.forEach(e -> best.record(e.epoch(), e.validationLoss()));
        float[][] kept = null; // the best epoch's parameters and updater state, while early stopping
        int epoch = curve.size();
        while (epoch < plan.epochs() && !best.stop()) {
            epoch++;
            long t0 = System.nanoTime();
            trained[0] = 0;
            trained[1] = 0;
            stream.minibatches(trainFiles, counted, plan.batchSize(), buffer, epochRandom(plan.seed(), epoch), net::fit);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            eval = measure(stream, net, plan, trainFiles, validationFiles, trained, epoch == plan.epochs());
            penalty = net.calcRegularizationScore(true);
            EpochStats stats = eval.stats(epoch, penalty, fitSeconds);
            curve.add(stats);
            if (SparkTrainer.diverged(stats.trainDataLoss(), plan.divergenceFactor(), plan.numClasses())) {
                return new Outcome(curve, eval, penalty, null, null, epoch, best.bestEpoch(),
                        before + (System.nanoTime() - start) / 1e9);
            }
            if (best.record(epoch, stats.validationLoss()) && plan.patience() > 0) {
                kept = new float[][] {floats(net.params()), floats(net.getUpdater().getStateViewArray())};
            }
            if (plan.patience() == 0 && Checkpoint.due(plan, epoch)) {
                Checkpoint.of(plan, curve, net, before + (System.nanoTime() - start) / 1e9)
                        .save(conf, new Path(plan.checkpointDir()));
            }
            if (epoch == stopAfter && epoch < plan.epochs()) {
                throw new IllegalStateException("test hook " + STOP_AFTER_EPOCH + ": stopping after epoch " + epoch);
            }
        }
        if (best.mustRestore()) {
            net.setParams(Nd4j.create(kept[0], new long[] {1, kept[0].length}, 'c'));
            if (kept[1] != null) {
                net.getUpdater().getStateViewArray().assign(Nd4j.create(kept[1], new long[] {1, kept[1].length}, 'c'));
            }
        }
        if (epoch < plan.epochs() || best.mustRestore() || eval == null) {
            // The final metrics are those of the kept parameters, on all training originals.
            eval = measure(stream, net, plan, trainFiles, validationFiles, trained, true);
            penalty = net.calcRegularizationScore(true);
        }
        // Written from the parameters the fit keeps (the best epoch's when early stopping restored it).
        ValidationPredictions.write(conf, plan, net);
        return new Outcome(curve, eval, penalty, floats(net.params()), floats(net.getUpdater().getStateViewArray()), 0,
                best.bestEpoch(), before + (System.nanoTime() - start) / 1e9);
    }

    /** One epoch's measurements; {@code last}: all training originals (and copies), as the final metrics. */
    private static EpochEvaluation measure(ShardStream stream, MultiLayerNetwork net, FitPlan plan,
                                           List<String> trainFiles, List<String> validationFiles, long[] trained,
                                           boolean last) {
        EpochEvaluation eval = new EpochEvaluation(plan.numClasses());
        eval.measure(stream, net, plan, trainFiles, EpochEvaluation.trainRows(plan, trained[1], last),
                last && trained[0] > trained[1], validationFiles);
        return eval;
    }

    /** A copy of {@code a}'s values; null for none. */
    static float[] floats(INDArray a) {
        return a == null ? null : a.dup().data().asFloat();
    }

    /** The shuffle of one epoch: the same for the same seed and epoch, anywhere. */
    static Random epochRandom(long seed, int epoch) {
        return new Random(seed * 1_000_003L + epoch);
    }
}
