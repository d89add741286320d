package io.foldwise.train;

import io.foldwise.config.ImageShape;
import io.foldwise.config.TrainConfig;
import io.foldwise.model.NetworkFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.util.ExportSupport;
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
        ParameterAveragingTrainingMaster master = trainingMaster(config, workers, exportDir);
        SparkDl4jMultiLayer sparkNet = new SparkDl4jMultiLayer(sc, net, master);
        List<EpochStats> curve = new ArrayList<>();
        Evaluation trainEval = null;
        Evaluation validationEval = null;
        double penalty = 0;
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                sparkNet.fit(train);
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

    private ParameterAveragingTrainingMaster trainingMaster(TrainConfig config, int workers, Path exportDir) {
        ParameterAveragingTrainingMaster.Builder b = new ParameterAveragingTrainingMaster.Builder(workers,
                config.batchSize())
                .batchSizePerWorker(config.batchSize())
                .averagingFrequency(config.averagingFrequency())
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .rngSeed(config.seed())
                .collectTrainingStats(false);
        if (ExportSupport.exportSupported(sc)) {
            b.rddTrainingApproach(RDDTrainingApproach.Export).exportDirectory(exportDir.toString());
        } else {
            // Export needs storage every executor can read; without it, ship batches directly.
            LOG.warn("No shared storage for DL4J's export approach (master {}, default file system local): "
                    + "using the direct approach", sc.master());
            b.rddTrainingApproach(RDDTrainingApproach.Direct).storageLevel(null);
        }
        return b.build();
    }

    private void deleteQuietly(Path dir) {
        try {
            dir.getFileSystem(sc.hadoopConfiguration()).delete(dir, true);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Could not delete {}: {}", dir, e.getMessage());
        }
    }
}
