package io.foldwise.train;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.NoSuchElementException;
import java.util.Queue;
import static org.apache.spark.sql.functions.col;

import io.foldwise.config.ImageShape;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.model.Outputs;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies a trained network to images where the data lives, with the features built exactly as
 * for training ({@link Tensorizer}) and the outputs computed as for evaluation ({@link Outputs}):
 * the predicted class is the largest logit, probabilities are the stable softmax (or sigmoid) in
 * double precision.
 */
public final class Predictor {
    private Predictor() {
    }

    /** Columns of {@link #predict}'s frame. */
    public static final String PREDICTED = "predicted";
    public static final String PROBABILITIES = "probabilities";
    public static final String LOSS = "loss";

    /** id, path, label, predicted, probabilities (one per class, summing to 1), loss (cross-entropy of label). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ImageSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(ImageSchema.PATH, DataTypes.StringType, false),
        DataTypes.createStructField(ImageSchema.LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(PREDICTED, DataTypes.IntegerType, false),
        DataTypes.createStructField(PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        DataTypes.createStructField(LOSS, DataTypes.DoubleType, false),
    });

    /**
     * The predictions of every image of {@code images} ({@link ImageSchema} rows) as a lazy frame in
     * {@link #SCHEMA}, computed where the images are, a minibatch at a time; nothing comes back to the
     * driver. The network's configuration and parameters travel as broadcasts, which stay alive as
     * long as the frame may be computed: call {@link Broadcasts#close()} when done with it.
     */
    public static Predictions predict(JavaSparkContext sc, MultiLayerNetwork net, Dataset<Row> images,
                                      ImageShape shape, int numClasses, int batchSize) {
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        Dataset<Row> frame = images
                .select(col(ImageSchema.ID), col(ImageSchema.PATH), col(ImageSchema.LABEL), col(ImageSchema.PIXELS))
                .mapPartitions(new PartitionPredictor(conf, params, shape, numClasses, batchSize),
                        Encoders.row(SCHEMA));
        return new Predictions(frame, new Broadcasts(conf, params));
    }

    /** A frame of predictions and the broadcasts it reads. */
    public record Predictions(Dataset<Row> frame, Broadcasts broadcasts) implements AutoCloseable {
        @Override
        public void close() {
            broadcasts.close();
        }
    }

    /** The network's broadcasts, destroyed on close. */
    public record Broadcasts(Broadcast<String> conf, Broadcast<INDArray> params) implements AutoCloseable {
        @Override
        public void close() {
            conf.destroy();
            params.destroy();
        }
    }

    /** Hidden columns of {@link #named}: the label's and the predicted class's index (for evaluations). */
    public static final String LABEL_INDEX = "_label";
    public static final String PREDICTED_INDEX = "_predicted";

    /**
     * Predicts every image of {@code images} on the executors and hands {@code use} the predictions
     * as a lazy frame (id, path, label, predicted, p_&lt;class&gt;...; label names, empty label for
     * unlabeled input), valid while {@code use} runs: e.g. to write them as Spark work.
     */
    public static void predictions(JavaSparkContext sc, MultiLayerNetwork net, Dataset<Row> images, ImageShape shape,
                                   List<String> labels, boolean labeled, int batchSize,
                                   Consumer<Dataset<Row>> use) {
        try (Predictions p = predict(sc, net, images, shape, labels.size(), batchSize)) {
            use.accept(named(p.frame(), labels, labeled, Optional.empty())
                    .drop(LABEL_INDEX, PREDICTED_INDEX, LOSS));
        }
    }

    /**
     * {@link #predict}'s frame with named columns: id, path, label, predicted (class names; an empty
     * label when unlabeled), p_&lt;class&gt;... and, for evaluations, {@link #LABEL_INDEX},
     * {@link #PREDICTED_INDEX} and {@link #LOSS}. With a {@code threshold} a two-class model predicts
     * the positive class (the second) when its probability is at least the threshold, else the largest
     * output wins. Each partition is sorted by id; there is no global order.
     */
    public static Dataset<Row> named(Dataset<Row> predictions, List<String> labels, boolean labeled,
                                     Optional<Double> threshold) {
        Column names = functions.array(labels.stream().map(functions::lit).toArray(Column[]::new));
        Column predicted = threshold.isPresent() && labels.size() == 2
                ? functions.when(functions.element_at(col(PROBABILITIES), 2).geq(threshold.get()), 1).otherwise(0)
                : col(PREDICTED);
        List<Column> columns = new ArrayList<>(List.of(col(ImageSchema.ID), col(ImageSchema.PATH),
                labeled ? functions.element_at(names, col(ImageSchema.LABEL).plus(1)).as("label")
                        : functions.lit("").as("label"),
                functions.element_at(names, predicted.plus(1)).as("predicted")));
        for (int c = 0; c < labels.size(); c++) {
            columns.add(functions.element_at(col(PROBABILITIES), c + 1).as("p_" + labels.get(c)));
        }
        columns.add(col(ImageSchema.LABEL).as(LABEL_INDEX));
        columns.add(predicted.as(PREDICTED_INDEX));
        columns.add(col(LOSS));
        return predictions.select(columns.toArray(Column[]::new)).sortWithinPartitions(col(ImageSchema.ID));
    }

    private static final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {
        private final Broadcast<String> conf;
        private final Broadcast<INDArray> params;
        private final ImageShape shape;
        private final int numClasses;
        private final int batchSize;

        PartitionPredictor(Broadcast<String> conf, Broadcast<INDArray> params, ImageShape shape, int numClasses,
                           int batchSize) {
            this.conf = conf;
            this.params = params;
            this.shape = shape;
            this.numClasses = numClasses;
            this.batchSize = batchSize;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            if (!rows.hasNext()) {
                return Collections.emptyIterator();
            }
            MultiLayerNetwork net = Evaluator.network(conf, params);
            // Lazy: one minibatch of rows and its predictions at a time.
            return new Iterator<>() {
                private final ArrayDeque<Row> ready = new ArrayDeque<>();

                @Override
                public boolean hasNext() {
                    if (ready.isEmpty() && rows.hasNext()) {
                        List<Row> batch = new ArrayList<>(batchSize);
                        while (batch.size() < batchSize && rows.hasNext()) {
                            batch.add(rows.next());
                        }
                        predictBatch(net, batch, ready);
                    }
                    return !ready.isEmpty();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return ready.poll();
                }
            };
        }

        private void predictBatch(MultiLayerNetwork net, List<Row> batch, Queue<Row> out) {
            int size = shape.size();
            float[] features = new float[batch.size() * size];
            int[] labels = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                Tensorizer.toChw(batch.get(i).getList(3), shape.height(), shape.width(), shape.channels(), features,
                        i * size);
                labels[i] = batch.get(i).getInt(2);
            }
            boolean binary = numClasses == 2;
            INDArray logits = Outputs.logits(net, Nd4j.create(features, new long[] {batch.size(), size}, 'c'));
            int[] predicted = Outputs.predictions(logits, binary);
            double[] losses = Outputs.crossEntropy(logits, labels, binary);
            double[][] p = Outputs.classProbabilities(logits, numClasses);
            for (int i = 0; i < batch.size(); i++) {
                out.add(RowFactory.create(batch.get(i).getString(0), batch.get(i).getString(1), labels[i],
                        predicted[i], p[i], losses[i]));
            }
        }
    }
}
