package io.foldwise.train;

import io.foldwise.train.ShardStream.ShuffleBuffer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one network with DL4J's Spark parameter averaging over several workers: the training
 * minibatches are streamed from the shards into DL4J's export directory once (DL4J's "export"
 * approach: each averaging round reads only its share), then every epoch is one
 * {@code fitPaths} plus one evaluation job over the shards; with early stopping the loop ends when
 * J_cv stops improving and the best epoch's parameters are restored. Each call builds its own network and
 * its own {@link ParameterAveragingTrainingMaster} (mutable, with its own temporary files), so
 * concurrent calls share nothing.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private SparkTrainer() {
    }

    /**
     * Trains {@code plan} with {@code workers} averaging workers.
     *
     * @param exportDir where the minibatches are exported; deleted afterwards
     * @throws DivergedException when the training loss becomes NaN, infinite or too large
     */
    public static TrainedModel fit(JavaSparkContext sc, FitPlan plan, int workers, int averagingFrequency,
                                   Path exportDir, List<String> labels, double learningRate,
                                   Consumer<EpochStats> onEpoch) {
        long start = System.nanoTime();
        MultiLayerNetwork net = plan.newNetwork();
        FrozenParams frozen = FrozenParams.of(net);
        ParameterAveragingTrainingMaster master = trainingMaster(plan, workers, averagingFrequency);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
        Configuration hadoopConf = sc.hadoopConfiguration();
        SerializableHadoopConfig hadoop = new SerializableHadoopConfig(hadoopConf);
        List<String> trainFiles = plan.train().shards().files(hadoopConf, plan.train().groups());
        List<String> validationFiles = plan.validation() == null ? List.of()
                : plan.validation().shards().files(hadoopConf, plan.validation().groups());
        List<EpochStats> curve = new ArrayList<>();
        EpochEvaluation eval = null;
        double penalty = 0;
        int bestEpoch;
        try {
            LongAccumulator rows = sc.sc().longAccumulator();
            LongAccumulator originals = sc.sc().longAccumulator();
            JavaRDD<String> paths = export(sc, plan, trainFiles, workers, exportDir, hadoop, rows, originals);
            BestEpoch best = plan.bestEpoch();
            INDArray kept = null; // the best epoch's parameters, while early stopping
            int epoch = 0;
            while (epoch < plan.epochs() && !best.stop()) {
                epoch++;
                long t0 = System.nanoTime();
                sparkNet.fitPaths(paths);
                frozen.restore(sparkNet.getNetwork());
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                boolean last = epoch == plan.epochs();
                eval = evaluate(sc, sparkNet.getNetwork(), plan, trainFiles, validationFiles, hadoop,
                        originals.value(), last, last && rows.value() > originals.value());
                penalty = sparkNet.getNetwork().calcRegularizationScore(true);
                EpochStats stats = eval.stats(epoch, penalty, fitSeconds);
                curve.add(stats);
                onEpoch.accept(stats);
                if (diverged(stats.trainDataLoss(), plan.divergenceFactor(), plan.numClasses())) {
                    throw new DivergedException(epoch, stats.trainDataLoss(), learningRate, curve);
                }
                if (best.record(epoch, stats.validationLoss()) && plan.patience() > 0) {
                    kept = sparkNet.getNetwork().params().dup();
                }
            }
            bestEpoch = best.bestEpoch();
            if (best.mustRestore()) {
                sparkNet.getNetwork().setParams(kept);
            }
            if (epoch < plan.epochs() || best.mustRestore()) {
                // The final metrics are those of the kept parameters, on all training rows.
                eval = evaluate(sc, sparkNet.getNetwork(), plan, trainFiles, validationFiles, hadoop,
                        originals.value(), true, rows.value() > originals.value());
                penalty = sparkNet.getNetwork().calcRegularizationScore(true);
            }
            writePredictions(sc, sparkNet.getNetwork(), plan, hadoop);
        } finally {
            master.deleteTempFiles(sc);
            deleteQuietly(hadoopConf, exportDir);
        }
        return TrainedModel.of(sparkNet.getNetwork(), curve, eval, labels, penalty, (System.nanoTime() - start) / 1e9,
                bestEpoch);
    }

    /**
     * The parameters of a network's frozen layers. Averaging k identical copies can round them
     * (a + a + a need not divide back to a exactly), so they are put back after every epoch: a
     * frozen layer then ends bit-identical to where it started, as in a one-worker fit.
     */
    private record FrozenParams(List<Integer> layers, List<INDArray> values) {
        static FrozenParams of(MultiLayerNetwork net) {
            List<Integer> layers = new ArrayList<>();
            List<INDArray> values = new ArrayList<>();
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayer(i) instanceof org.deeplearning4j.nn.layers.FrozenLayer layer) {
                    layers.add(i);
                    values.add(layer.params().dup());
                }
            }
            return new FrozenParams(layers, values);
        }

        void restore(MultiLayerNetwork net) {
            for (int k = 0; k < layers.size(); k++) {
                net.getLayer(layers.get(k)).params().assign(values.get(k));
            }
        }
    }

    /**
     * NaN or infinite, or far worse than guessing uniformly (ln K for K classes; a sigmoid output
     * guessing 0.5 also scores ln 2 for two classes).
     */
    static boolean diverged(double dataLoss, double factor, int numClasses) {
        if (!Double.isFinite(dataLoss)) {
            return true;
        }
        return factor > 0 && dataLoss > factor * Math.log(Math.max(2, numClasses));
    }

    private static ParameterAveragingTrainingMaster trainingMaster(FitPlan plan, int workers, int averagingFrequency) {
        return new ParameterAveragingTrainingMaster.Builder(workers, plan.batchSize())
                .batchSizePerWorker(plan.batchSize())
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                // The exported paths have exactly `workers` partitions: no reshuffle per round.
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rngSeed(plan.seed())
                .collectTrainingStats(false)
                // Only read by fit(RDD<DataSet>); fitPaths always reads its exported files.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null)
                .build();
    }

    /**
     * Writes the training minibatches (shuffled once, seeded) as DL4J DataSet files, one Spark task
     * per worker streaming its share of the shard files; returns their paths in {@code workers}
     * partitions.
     */
    private static JavaRDD<String> export(JavaSparkContext sc, FitPlan plan, List<String> trainFiles, int workers,
                                          Path exportDir, SerializableHadoopConfig hadoop, LongAccumulator rows,
                                          LongAccumulator originals) {
        deleteQuietly(sc.hadoopConfiguration(), exportDir); // what an interrupted attempt left
        String dir = new Path(exportDir, "data").toString();
        List<String> paths = sc.parallelize(trainFiles, Math.min(workers, Math.max(1, trainFiles.size())))
                .mapPartitionsWithIndex((index, files) -> {
                    Configuration conf = hadoop.getConfiguration();
                    List<String> mine = new ArrayList<>();
                    files.forEachRemaining(mine::add);
                    ShardStream stream = new ShardStream(conf, plan.inputSize(), plan.numClasses());
                    ShuffleBuffer buffer = new ShuffleBuffer(Math.max(plan.batchSize(), plan.shuffleBuffer()),
                            plan.inputSize());
                    FileSystem fs = new Path(dir).getFileSystem(conf);
                    List<String> out = new ArrayList<>();
                    double fraction = plan.fraction();
                    stream.minibatches(mine, r -> {
                        boolean keep = r.inSubsample(fraction);
                        if (keep) {
                            rows.add(1);
                            if (r.original()) {
                                originals.add(1);
                            }
                        }
                        return keep;
                    }, plan.batchSize(), buffer, TaskTrainer.epochRandom(plan.seed(), -index), batch -> {
                        Path p = new Path(dir, "p" + index + "-" + out.size() + ".bin");
                        try (OutputStream os = fs.create(p, true)) {
                            batch.save(os);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot export a minibatch to " + p, e);
                        }
                        out.add(p.toString());
                    });
                    return out.iterator();
                }, true).collect();
        return sc.parallelize(paths, workers);
    }

    /** The validation predictions, written by one task (as a one-worker fit writes them from its own). */
    private static void writePredictions(JavaSparkContext sc, MultiLayerNetwork net, FitPlan plan,
                                         SerializableHadoopConfig hadoop) {
        if (plan.predictions() == null || plan.validation() == null) {
            return;
        }
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        try {
            sc.parallelize(List.of(0), 1).foreach(i -> ValidationPredictions.write(hadoop.getConfiguration(), plan,
                    Evaluator.network(conf, params)));
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    /** One Spark job: every shard file measured where it is read, the counts added up. */
    private static EpochEvaluation evaluate(JavaSparkContext sc, MultiLayerNetwork net, FitPlan plan,
                                            List<String> trainFiles, List<String> validationFiles,
                                            SerializableHadoopConfig hadoop, long trainedOriginals, boolean last,
                                            boolean allRows) {
        List<String[]> work = new ArrayList<>();
        trainFiles.forEach(f -> work.add(new String[] {"t", f}));
        validationFiles.forEach(f -> work.add(new String[] {"v", f}));
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        try {
            return sc.parallelize(work, Math.max(1, work.size())).mapPartitions(items -> {
                List<String> t = new ArrayList<>();
                List<String> v = new ArrayList<>();
                items.forEachRemaining(i -> ("t".equals(i[0]) ? t : v).add(i[1]));
                EpochEvaluation e = new EpochEvaluation(plan.numClasses());
                if (!t.isEmpty() || !v.isEmpty()) {
                    e.measure(new ShardStream(hadoop.getConfiguration(), plan.inputSize(), plan.numClasses()),
                            Evaluator.network(conf, params), plan, t,
                            EpochEvaluation.trainRows(plan, trainedOriginals, last), allRows, v);
                }
                return List.of(e).iterator();
            }).reduce(EpochEvaluation::merge);
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    /**
     * Whether every executor can read {@code dir}: always with a local master (one JVM, {@code local},
     * {@code local[N]}, {@code local[*]} and {@code local[N,F]} alike), on any non-local file system
     * (hdfs, s3a, ...), and on a local path only when the user configured it
     * ({@code train.exportDir}), i.e. vouched that it is a mount every node shares.
     */
    public static boolean reachableFromExecutors(boolean localMaster, Path qualifiedDir, boolean configured) {
        String scheme = qualifiedDir.toUri().getScheme();
        return localMaster || configured || !("file".equals(scheme) || scheme == null);
    }

    private static void deleteQuietly(Configuration conf, Path dir) {
        try {
            dir.getFileSystem(conf).delete(dir, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
