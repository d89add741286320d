package io.foldwise.train;

import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.datavec.spark.util.SerializableHadoopConfig;
import org.deeplearning4j.spark.data.BatchAndExportDataSetsFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one network with DL4J's Spark parameter averaging. Each call builds its own network and
 * its own {@link ParameterAveragingTrainingMaster} (which keeps mutable state and exports data
 * under its own directory), so concurrent calls share nothing.
 */
public final class SparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTrainer.class);

    private final JavaSparkContext sc;

    public SparkTrainer(JavaSparkContext sc) {
        this.sc = sc;
    }

    /**
     * Trains on {@code train} (one DataSet per minibatch of {@code config.batchSize()}), evaluating
     * after every epoch on it and on {@code validation} (may be null).
     *
     * @param workers   parameter-averaging workers; the data should have as many partitions
     * @param exportDir where DL4J exports the minibatches; deleted afterwards
     * @param onEpoch   called after each epoch (progress lines)
     * @throws DivergedException when the training loss becomes NaN or infinite
     */
    public TrainedModel fit(TrainConfig config, ImageShape shape, List<String> labels, JavaRDD<DataSet> train,
                            JavaRDD<DataSet> validation, int workers, Path exportDir, Consumer<EpochStats> onEpoch) {
        long start = System.nanoTime();
        MultiLayerNetwork net = NetworkFactory.create(config, shape, labels.size());
        ParameterAveragingTrainingMaster master = trainingMaster(config, workers);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
        Optional<JavaRDD<String>> exported = exportIfShared(config, train, workers, exportDir);
        List<EpochStats> curve = new ArrayList<>();
        Evaluation trainEval = null;
        Evaluation validationEval = null;
        double penalty = 0;
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                if (exported.isPresent()) {
                    sparkNet.fitPaths(exported.get());
                } else {
                    sparkNet.fit(train);
                }
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                MultiLayerNetwork current = sparkNet.getNetwork();
                trainEval = Evaluator.evaluate(sc, current, train, labels);
                validationEval = validation == null ? null : Evaluator.evaluate(sc, current, validation, labels);
                penalty = current.calcRegularizationScore(true);
                EpochStats stats = new EpochStats(epoch, trainEval.dataLoss() + penalty, trainEval.dataLoss(),
                        validationEval == null ? Double.NaN : validationEval.dataLoss(), trainEval.accuracy(),
                        validationEval == null ? Double.NaN : validationEval.accuracy(), fitSeconds);
                curve.add(stats);
                onEpoch.accept(stats);
                if (diverged(stats.trainDataLoss(), config.divergenceFactor(), labels.size())) {
                    throw new DivergedException(epoch, stats.trainDataLoss(), config.learningRate(), curve);
                }
            }
        } finally {
            master.deleteTempFiles(sc);
            deleteQuietly(exportDir);
        }
        return new TrainedModel(sparkNet.getNetwork(), curve, trainEval, validationEval, penalty,
                (System.nanoTime() - start) / 1e9);
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

    private ParameterAveragingTrainingMaster trainingMaster(TrainConfig config, int workers) {
        // The approach set here only matters for fit(RDD<DataSet>), the direct fallback: exported data
        // goes through fitPaths, which DL4J trains the same way as its own export approach.
        return new ParameterAveragingTrainingMaster.Builder(workers, config.batchSize())
                .batchSizePerWorker(config.batchSize())
                .averagingFrequency(config.averagingFrequency())
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                // The data has exactly `workers` partitions (Tensorizer, export below): no reshuffle per round.
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rngSeed(config.seed())
                .collectTrainingStats(false)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .storageLevel(null) // the caller cached the batches already
                .build();
    }

    /**
     * DL4J's export approach: the minibatches are written once to {@code exportDir} and every
     * averaging round reads only its share of them, where the direct approach re-reads and
     * re-samples the whole cached RDD each round. It needs storage every executor can reach.
     * DL4J decides that from the default file system ({@code ExportSupport}), which is local
     * in most Spark setups and which ignores {@code local[N,F]}; here it is decided from the
     * export directory itself. Returns the exported paths in {@code workers} partitions, or
     * empty for the direct approach.
     */
    private Optional<JavaRDD<String>> exportIfShared(TrainConfig config, JavaRDD<DataSet> train, int workers,
                                                     Path exportDir) {
        Path dir;
        try {
            dir = exportDir.getFileSystem(sc.hadoopConfiguration()).makeQualified(exportDir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no file system for export directory " + exportDir, e);
        }
        if (!reachableFromExecutors(sc.isLocal(), dir, config.exportDir().isPresent())) {
            LOG.warn("DL4J export directory {} is on this machine's local disk and the master ({}) is not local: "
                    + "training with the slower direct approach. Set train.exportDir (or --output) to shared "
                    + "storage such as hdfs:// or s3a:// to use the export approach.", dir, sc.master());
            return Optional.empty();
        }
        deleteQuietly(dir); // what an interrupted attempt left
        // Executors write with the driver's Hadoop settings (spark.hadoop.*: s3a credentials, HDFS client).
        Broadcast<SerializableHadoopConfig> hadoop =
                sc.broadcast(new SerializableHadoopConfig(sc.hadoopConfiguration()));
        try {
            List<String> paths = train.mapPartitionsWithIndex(
                    new BatchAndExportDataSetsFunction(config.batchSize(), new Path(dir, "data").toString(), hadoop),
                    true).collect();
            return Optional.of(sc.parallelize(paths, workers));
        } finally {
            hadoop.destroy();
        }
    }

    /**
     * Whether every executor can read {@code exportDir}: always with a local master (one JVM,
     * {@code local}, {@code local[N]}, {@code local[*]} and {@code local[N,F]} alike), on any
     * non-local file system (hdfs, s3a, ...), and on a local path only when the user configured it
     * ({@code train.exportDir}), i.e. vouched that it is a mount every node shares.
     */
    static boolean reachableFromExecutors(boolean localMaster, Path qualifiedExportDir, boolean configured) {
        String scheme = qualifiedExportDir.toUri().getScheme();
        return localMaster || configured || !("file".equals(scheme) || scheme == null);
    }

    private void deleteQuietly(Path dir) {
        try {
            dir.getFileSystem(sc.hadoopConfiguration()).delete(dir, true);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
