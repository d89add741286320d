package io.foldwise.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import io.foldwise.augment.AugmentPreview;
import io.foldwise.config.ThresholdConfig;
import io.foldwise.ingest.ImageSchema;
import io.foldwise.select.GridPoint;
import io.foldwise.select.Threshold;
import io.foldwise.select.TrialSpec;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import io.foldwise.train.ValidationPredictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.datavec.spark.util.SerializableHadoopConfig;

/**
 * The files error analysis reads, written as Spark work (executors write them; nothing is collected
 * on the driver): {@code best/oof-predictions.csv} from the chosen point's per-trial predictions
 * joined with the images' source paths, {@code best/test-predictions.csv}, and the thumbnails of the
 * images the report shows (per confusion the {@link #PER_CONFUSION} most confident mistakes, and the
 * {@link #PER_CONFUSION} least confident correct predictions).
 */
final class ErrorFiles {
    /** Thumbnails per confusion (true → predicted), and of least confident correct predictions. */
    static final int PER_CONFUSION = 12;
    /** Thumbnail scale: pixels per image pixel. */
    static final int SCALE = 2;
    /** Column of oof-predictions.csv and test-predictions.csv holding the source file. */
    static final String PATH = "path";

    private ErrorFiles() {
    }

    /** The per-trial predictions file's schema for {@code labels}: id, label, predicted, p_*, fold. */
    static StructType trialSchema(List<String> labels) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(ValidationPredictions.ID, DataTypes.StringType, false));
        f.add(DataTypes.createStructField(ValidationPredictions.LABEL, DataTypes.StringType, false));
        f.add(DataTypes.createStructField(ValidationPredictions.PREDICTED, DataTypes.StringType, false));
        labels.forEach(l -> f.add(DataTypes.createStructField(ValidationPredictions.P + l, DataTypes.DoubleType, false)));
        f.add(DataTypes.createStructField(ValidationPredictions.FOLD, DataTypes.IntegerType, false));
        return DataTypes.createStructType(f);
    }

    /**
     * Writes {@code best/oof-predictions.csv} from the folds of {@code point} whose trials recorded
     * predictions, and the thumbnails; returns the folds that had none (trials committed before
     * predictions were recorded).
     *
     * @param images the training rows (ImageSchema: id, path, pixels)
     */
    /**
     * What {@link #outOfFold} found.
     *
     * @param missing   folds whose trials recorded no predictions
     * @param threshold two classes: the precision/recall curve and chosen threshold (empty without predictions)
     */
    record OutOfFold(List<Integer> missing, Optional<Threshold> threshold) {
    }

    static OutOfFold outOfFold(SparkSession spark, Storage storage, RunLayout layout, GridPoint point, int folds,
                               List<String> labels, Dataset<Row> images, ThresholdConfig goal) {
        return outOfFold(spark, storage, layout, layout.best(), point, folds, labels, images, goal);
    }

    /** As above, writing into {@code best} (best/ itself or its staging directory). */
    static OutOfFold outOfFold(SparkSession spark, Storage storage, RunLayout layout, RunLayout best, GridPoint point,
                               int folds, List<String> labels, Dataset<Row> images, ThresholdConfig goal) {
        List<String> files = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            Path csv = layout.trial(new TrialSpec(point, f, 1.0).id().value()).predictionsCsv();
            if (storage.exists(csv)) {
                files.add(storage.qualify(csv).toString());
            } else {
                missing.add(f);
            }
        }
        if (files.isEmpty()) {
            return new OutOfFold(missing, Optional.empty());
        }
        Dataset<Row> predictions = spark.read().option("header", "true").option("escape", "\"")
                .schema(trialSchema(labels)).csv(files.toArray(String[]::new));
        Dataset<Row> paths = images.select(col(ImageSchema.ID).as("__fw_id"), col(ImageSchema.PATH));
        List<Column> out = new ArrayList<>(List.of(col(ValidationPredictions.ID), col(PATH),
                col(ValidationPredictions.LABEL), col(ValidationPredictions.PREDICTED)));
        labels.forEach(l -> out.add(col(ValidationPredictions.P + l)));
        out.add(col(ValidationPredictions.FOLD));
        Dataset<Row> oof = predictions.join(paths, predictions.col(ValidationPredictions.ID).equalTo(col("__fw_id")),
                "left").select(out.toArray(Column[]::new));
        writeCsv(storage, oof.orderBy(col(ValidationPredictions.ID)), best.oofPredictionsCsv());
        thumbnails(storage, best, oof, labels, images);
        Optional<Threshold> threshold = Optional.empty();
        if (labels.size() == 2) {
            Threshold t = threshold(oof, labels, goal);
            storage.writeString(best.prCurveCsv(), t.toCsv());
            threshold = Optional.of(t);
        }
        return new OutOfFold(missing, threshold);
    }

    /**
     * The precision/recall curve from per-bin counts of the positive class's probability, counted by
     * Spark (at most 2 × {@link Threshold#BINS} rows reach the driver), and the threshold {@code goal} picks.
     */
    static Threshold threshold(Dataset<Row> predictions, List<String> labels, ThresholdConfig goal) {
        Column p = col(ValidationPredictions.P + labels.get(1));
        Column bin = greatest(lit(0), least(lit(Threshold.BINS - 1), floor(p.multiply(Threshold.BINS)).cast("int")));
        long[] positives = new long[Threshold.BINS];
        long[] negatives = new long[Threshold.BINS];
        for (Row r : predictions.groupBy(bin.as("bin"), col(ValidationPredictions.LABEL).equalTo(labels.get(1))
                .as("positive")).count().collectAsList()) {
            (r.getBoolean(1) ? positives : negatives)[r.getInt(0)] += r.getLong(2);
        }
        return Threshold.choose(positives, negatives, goal);
    }

    /** Thumbnails of the images the report's error analysis can show, written by executors. */
    private static void thumbnails(Storage storage, RunLayout best, Dataset<Row> oof, List<String> labels,
                                   Dataset<Row> images) {
        Column[] probs = labels.stream().map(l -> col(ValidationPredictions.P + l)).toArray(Column[]::new);
        Column confidence = greatest(probs);
        Column truth = col(ValidationPredictions.LABEL);
        Column predicted = col(ValidationPredictions.PREDICTED);
        Dataset<Row> scored = oof.select(col(ValidationPredictions.ID), truth, predicted, confidence.as("__fw_conf"));
        Dataset<Row> mistakes = scored.filter(truth.notEqual(predicted))
                .withColumn("__fw_rank", row_number().over(Window.partitionBy(truth, predicted)
                        .orderBy(col("__fw_conf").desc(), col(ValidationPredictions.ID))))
                .filter(col("__fw_rank").leq(PER_CONFUSION)).select(col(ValidationPredictions.ID));
        Dataset<Row> unsure = scored.filter(truth.equalTo(predicted))
                .orderBy(col("__fw_conf"), col(ValidationPredictions.ID)).limit(PER_CONFUSION)
                .select(col(ValidationPredictions.ID));
        Dataset<Row> ids = mistakes.union(unsure).withColumnRenamed(ValidationPredictions.ID, "__fw_id");
        Dataset<Row> rows = images.join(ids, images.col(ImageSchema.ID).equalTo(ids.col("__fw_id")), "left_semi");
        String dir = storage.qualify(best.thumbnailsDir()).toString();
        SerializableHadoopConfig hadoop = new SerializableHadoopConfig(
                JavaSparkContext.fromSparkContext(oof.sparkSession().sparkContext()).hadoopConfiguration());
        rows.toJavaRDD().foreachPartition(it -> {
            Storage executor = new Storage(hadoop.getConfiguration());
            while (it.hasNext()) {
                Row r = it.next();
                Path target = new Path(dir, RunLayout.thumbnailName(r.getString(r.fieldIndex(ImageSchema.ID))));
                executor.writeAtomically(target, o -> ImageIO.write(AugmentPreview.tile(r, SCALE), "png", o));
            }
        });
    }

    /**
     * Writes {@code frame} as one CSV file at {@code target} with a header: one executor writes it
     * into a scratch directory beside the target, then the file is renamed into place.
     */
    static void writeCsv(Storage storage, Dataset<Row> frame, Path target) {
        Path scratch = new Path(target.getParent(), "_tmp-" + target.getName() + "-" + UUID.randomUUID());
        try {
            frame.coalesce(1).write().option("header", "true").option("escape", "\"")
                    .csv(storage.qualify(scratch).toString());
            String part = storage.list(scratch).stream().filter(n -> n.startsWith("part-") && n.endsWith(".csv"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Spark wrote no CSV part into " + scratch));
            // The target is new (trial directories and best/'s staging directory start empty); an older
            // one is a rerun's leftover and goes first.
            if (storage.exists(target)) {
                storage.delete(target);
            }
            if (!storage.renameIntoAbsent(new Path(scratch, part), target)) {
                throw new IllegalStateException("could not move Spark's CSV part into " + target);
            }
        } finally {
            storage.delete(scratch);
        }
    }
}
