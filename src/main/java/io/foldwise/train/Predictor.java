package io.foldwise.train;

import static org.apache.spark.sql.functions.col;

import io.foldwise.config.ImageShape;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.model.Outputs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
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

    /**
     * One image's prediction.
     *
     * @param label         the image's label index (meaningless for unlabeled input)
     * @param probabilities one per class, summing to 1
     * @param loss          cross-entropy of {@code label} (meaningless for unlabeled input)
     */
    public record Prediction(String id, String path, int label, int predicted, double[] probabilities, double loss) {
    }

    /** What executors send back: a plain class, as Spark's Kryo cannot build records. */
    private static final class Shipped implements Serializable {
        private static final long serialVersionUID = 1L;
        String id;
        String path;
        int label;
        int predicted;
        double[] probabilities;
        double loss;

        Prediction toPrediction() {
            return new Prediction(id, path, label, predicted, probabilities, loss);
        }
    }

    /**
     * Predicts every image of {@code images} ({@link ImageSchema} rows) and hands the predictions
     * to {@code consumer} on the driver in id order, streaming partition by partition.
     */
    public static void predict(JavaSparkContext sc, MultiLayerNetwork net, Dataset<Row> images, ImageShape shape,
                               int numClasses, int batchSize, Consumer<Prediction> consumer) {
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        try {
            Iterator<Shipped> it = images
                    .select(col(ImageSchema.ID), col(ImageSchema.PATH), col(ImageSchema.LABEL), col(ImageSchema.PIXELS))
                    .orderBy(col(ImageSchema.ID))
                    .toJavaRDD()
                    .mapPartitions(new PartitionPredictor(conf, params, shape, numClasses, batchSize))
                    .toLocalIterator();
            it.forEachRemaining(p -> consumer.accept(p.toPrediction()));
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    /**
     * Predicts every image of {@code images} on the executors and hands {@code use} the predictions
     * as a lazy frame (id, path, label, predicted, p_&lt;class&gt;...; label names, empty label for
     * unlabeled input), valid while {@code use} runs: e.g. to write them as Spark work.
     */
    public static void predictions(JavaSparkContext sc, MultiLayerNetwork net, Dataset<Row> images, ImageShape shape,
                                   List<String> labels, boolean labeled, int batchSize,
                                   Consumer<Dataset<Row>> use) {
        Broadcast<String> conf = sc.broadcast(net.getLayerWiseConfigurations().toJson());
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        List<StructField> fields = new ArrayList<>();
        for (String name : List.of("id", "path", "label", "predicted")) {
            fields.add(DataTypes.createStructField(name, DataTypes.StringType, false));
        }
        labels.forEach(l -> fields.add(DataTypes.createStructField("p_" + l, DataTypes.DoubleType, false)));
        ArrayList<String> names = new ArrayList<>(labels);
        try {
            JavaRDD<Row> rows = images
                    .select(col(ImageSchema.ID), col(ImageSchema.PATH), col(ImageSchema.LABEL), col(ImageSchema.PIXELS))
                    .toJavaRDD()
                    .mapPartitions(new PartitionPredictor(conf, params, shape, names.size(), batchSize))
                    .map(p -> {
                        Object[] v = new Object[4 + names.size()];
                        v[0] = p.id;
                        v[1] = p.path;
                        v[2] = labeled ? names.get(p.label) : "";
                        v[3] = names.get(p.predicted);
                        for (int c = 0; c < names.size(); c++) {
                            v[4 + c] = p.probabilities[c];
                        }
                        return RowFactory.create(v);
                    });
            use.accept(images.sparkSession().createDataFrame(rows, DataTypes.createStructType(fields)));
        } finally {
            conf.destroy();
            params.destroy();
        }
    }

    private static final class PartitionPredictor implements FlatMapFunction<Iterator<Row>, Shipped> {
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
        public Iterator<Shipped> call(Iterator<Row> rows) {
            List<Shipped> out = new ArrayList<>();
            if (!rows.hasNext()) {
                return out.iterator();
            }
            MultiLayerNetwork net = Evaluator.network(conf, params);
            List<Row> batch = new ArrayList<>(batchSize);
            while (rows.hasNext()) {
                batch.add(rows.next());
                if (batch.size() == batchSize || !rows.hasNext()) {
                    predictBatch(net, batch, out);
                    batch.clear();
                }
            }
            return out.iterator();
        }

        private void predictBatch(MultiLayerNetwork net, List<Row> batch, List<Shipped> out) {
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
                double[] probabilities = p[i];
                Shipped one = new Shipped();
                one.id = batch.get(i).getString(0);
                one.path = batch.get(i).getString(1);
                one.label = labels[i];
                one.predicted = predicted[i];
                one.probabilities = probabilities;
                one.loss = losses[i];
                out.add(one);
            }
        }
    }
}
