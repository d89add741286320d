package io.foldwise.ingest;

import java.util.Locale;
import java.util.stream.Stream;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.foldwise.FoldwiseException;
import io.foldwise.TaskFaults;
import io.foldwise.config.ClassMap;
import io.foldwise.config.DataColumns;
import io.foldwise.config.DataConfig;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads the configured training or test data into {@link LabeledImages}, checking it before any
 * training starts: every unreadable or mis-shaped file is counted and the first few are named.
 *
 * <p>Decoding, conversion and checking run on executors; one aggregation job gathers the
 * problems, class counts and fingerprint together (a second one only when {@code data.limit}
 * cuts a folder or table dataset: the first N ids are chosen on the id column alone and joined
 * back). The returned frame is lazy and not cached.
 */
public final class Ingestor {
    /** How many offending files a message names. */
    static final int EXAMPLES = 5;

    private Ingestor() {
    }

    /**
     * Reads {@code data.train} (and {@code data.trainLabels} for IDX). Labels index the class
     * names sorted by name. {@code data.limit} keeps the first N images by id for folders, the
     * first N in the file for IDX; classes cut away by it stay in the label mapping with count 0.
     *
     * @throws DataException if the data is missing, malformed, has fewer than 2 classes with
     *                       images, or does not fit {@code data}'s shape and {@code ingest} allows no fix
     */
    public static LabeledImages readTrain(SparkSession spark, DataConfig data, IngestConfig ingest) {
        RawImages raw = switch (data.format()) {
            case FOLDERS -> ImageFolderReader.read(spark, "data.train", data.train(), null, data.classes());
            case IDX -> IdxReader.read(spark, "data.train", data.train(), "data.trainLabels",
                    data.trainLabels().orElseThrow(), null, data.classes(), data.limit());
            case PARQUET, TABLE -> TableReader.read(TableReader.load(spark, data.format(), "data.train", data.train()),
                    "data.train", data.train(), data.columns(), data.shape(), null, true, data.classes());
        };
        if (data.positiveClass().isPresent()) {
            raw = ClassSelection.positiveLast(raw, data.positiveClass().get());
        }
        // IDX applies data.limit while reading unless data.classes drops records; then by id (file order) here.
        boolean limitById = data.format() != DataFormat.IDX || !data.classes().all();
        return check(spark, raw, data.shape(), ingest, data.limit(), limitById, true,
                data.limitPerClass(), data.sampleSeed());
    }

    /**
     * Reads {@code data.test} (and {@code data.testLabels} for IDX) with the training label mapping.
     * Classes missing from the test data are allowed (count 0); a class unknown to training is not.
     *
     * @throws IllegalStateException if {@code data.test} is empty (the caller holds out
     *                               {@code data.testFraction} instead)
     * @throws DataException         as for {@link #readTrain}, or for a class not in {@code trainLabelNames}
     */
    public static LabeledImages readTest(SparkSession spark, DataConfig data, IngestConfig ingest,
                                         List<String> trainLabelNames) {
        if (data.test().isEmpty()) {
            throw new IllegalStateException("readTest needs data.test; when it is empty, hold out data.testFraction "
                    + "of the training data instead");
        }
        if (trainLabelNames.isEmpty()) {
            throw new IllegalArgumentException("trainLabelNames is empty; pass the training data's labelNames()");
        }
        RawImages raw = switch (data.format()) {
            case FOLDERS -> ImageFolderReader.read(spark, "data.test", data.test().get(), trainLabelNames,
                    data.classes());
            case IDX -> IdxReader.read(spark, "data.test", data.test().get(), "data.testLabels",
                    data.testLabels().orElseThrow(), trainLabelNames, data.classes(), 0);
            case PARQUET, TABLE -> TableReader.read(TableReader.load(spark, data.format(), "data.test",
                    data.test().get()), "data.test", data.test().get(), data.columns(), data.shape(), trainLabelNames,
                    true, data.classes());
        };
        return check(spark, raw, data.shape(), ingest, 0, false, false, data.limitPerClass(), data.sampleSeed());
    }

    /** Images per test class folder whose header {@link #checkTest} reads. */
    static final int TEST_HEADERS_PER_CLASS = 3;

    /**
     * Checks {@code data.test} before any training, so that a typo in its path, a wrong format or
     * shape, or a class unknown to training fails at once rather than after hours of trials: from
     * its listing and the headers of the first {@value #TEST_HEADERS_PER_CLASS} images of each class
     * folder (folders), or its headers and labels (IDX), without decoding pixels. The
     * pixels themselves are checked when the test set is read, once, after the refit.
     *
     * @throws DataException as {@link #readTest} would, for what can be seen without decoding
     */
    public static void checkTest(SparkSession spark, DataConfig data, IngestConfig ingest,
                                 List<String> trainLabelNames) {
        if (data.test().isEmpty()) {
            return;
        }
        switch (data.format()) {
            case FOLDERS -> {
                ImageFolderReader.Layout layout = ImageFolderReader.layout(spark, "data.test", data.test().get(),
                        trainLabelNames, data.classes());
                ImageFolderReader.checkHeaders("data.test", data.test().get(), layout, data.shape(), ingest,
                        TEST_HEADERS_PER_CLASS, DataFiles.locate(spark, "data.test", data.test().get()).fs());
            }
            case IDX -> IdxReader.checkHeaders(spark, "data.test", data.test().get(), "data.testLabels",
                    data.testLabels().orElseThrow(), trainLabelNames, data.classes(), data.shape(), ingest);
            default -> { }
        }
    }

    /**
     * Images to apply a trained model to, checked like a test set: the training label mapping, and
     * the shape and ingest settings the model was trained with (wrong shapes are the same errors).
     * A directory with class folders ({@code <root>/<class>/*.png}) is labeled; a directory of images
     * without class folders is not (every label is 0 and means nothing). A file is read as IDX with
     * its labels file.
     *
     * @param key          how messages name the input, e.g. {@code --input}
     * @param labelsKey    how messages name the IDX labels file, e.g. {@code --input-labels}
     * @param labelsFile   the IDX labels file; required when {@code location} is a file
     * @param classes      the model's data.classes (from labels.json), applied to class folders and IDX labels
     * @throws DataException as for {@link #readTest}
     * @throws FoldwiseException (usage) for an IDX file without {@code labelsFile}
     */
    public static Input readInput(SparkSession spark, String key, String location, String labelsKey,
                                  Optional<String> labelsFile, ImageShape shape, IngestConfig ingest,
                                  List<String> trainLabelNames, ClassMap classes) {
        return readInput(spark, key, location, Optional.empty(), labelsKey, labelsFile, shape, ingest,
                DataColumns.DEFAULT, trainLabelNames, classes);
    }

    /**
     * As {@link #readInput(SparkSession, String, String, String, Optional, ImageShape, IngestConfig, List, ClassMap)},
     * with the input's format given or detected: {@code parquet} for a path ending in {@code .parquet} or a
     * directory holding {@code .parquet} files (and no class folders), else folders or IDX as above; a
     * {@code table} names a table of Spark's catalog. Parquet and table input is read with {@code columns};
     * without the label column it is unlabeled.
     *
     * @param format the input's format; empty to detect it (a table must be named)
     */
    public static Input readInput(SparkSession spark, String key, String location, Optional<DataFormat> format,
                                  String labelsKey, Optional<String> labelsFile, ImageShape shape,
                                  IngestConfig ingest, DataColumns columns, List<String> trainLabelNames,
                                  ClassMap classes) {
        DataFormat kind = format.orElse(null);
        if (kind == null && location.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            kind = DataFormat.PARQUET;
        }
        if (kind == DataFormat.PARQUET || kind == DataFormat.TABLE) {
            Dataset<Row> table = TableReader.load(spark, kind, key, location);
            boolean labeled = TableReader.hasColumn(table, columns.label());
            RawImages raw = TableReader.read(table, key, location, columns, shape, trainLabelNames, labeled,
                    classes);
            return new Input(check(spark, raw, shape, ingest, 0, false, false, 0, 0), labeled);
        }
        DataFiles.Located at = DataFiles.locate(spark, key, location);
        boolean directory = DataFiles.status(at, key, location, "point " + key + " at a folder of images, of class "
                + "folders, or at an IDX images file").isDirectory();
        if (kind == null && directory && !ImageFolderReader.hasClassFolders(spark, key, location)
                && DataFiles.holdsParquet(at, key, location)) {
            return readInput(spark, key, location, Optional.of(DataFormat.PARQUET), labelsKey, labelsFile, shape,
                    ingest, columns, trainLabelNames, classes);
        }
        RawImages raw;
        boolean labeled = true;
        if (!directory) {
            if (labelsFile.isEmpty()) {
                throw new FoldwiseException(FoldwiseException.USAGE, key + " " + location + " is a file, read as IDX "
                        + "images, which needs its labels file: add " + labelsKey + " FILE (or pass a folder of images)");
            }
            raw = IdxReader.read(spark, key, location, labelsKey, labelsFile.get(), trainLabelNames, classes, 0);
        } else if (ImageFolderReader.hasClassFolders(spark, key, location)) {
            raw = ImageFolderReader.read(spark, key, location, trainLabelNames, classes);
        } else {
            raw = ImageFolderReader.readFlat(spark, key, location, trainLabelNames);
            labeled = false;
        }
        return new Input(check(spark, raw, shape, ingest, 0, false, false, 0, 0), labeled);
    }

    /**
     * Images read by {@link #readInput}.
     *
     * @param labeled whether the labels are real (class folders or an IDX labels file)
     */
    public record Input(LabeledImages images, boolean labeled) implements AutoCloseable {
        @Override
        public void close() {
            images.close();
        }
    }

    /**
     * Decodes, converts and checks the raw rows.
     *
     * @param limit       data.limit, for messages and (if {@code limitById}) to apply
     * @param limitById   apply the limit here, by id order (folders); IDX readers apply it while parsing
     * @param training    require at least 2 classes with images
     * @param perClass    data.limitPerClass (0 = all)
     * @param seed        seeds which images {@code perClass} keeps
     */
    static LabeledImages check(SparkSession spark, RawImages raw, ImageShape shape, IngestConfig ingest, long limit,
                               boolean limitById, boolean training, long perClass, long seed) {
        int parallelism = spark.sparkContext().defaultParallelism();
        Dataset<Row> rows = TaskFaults.failFirstAttempts(raw.rows());
        // The image source packs many small files per partition and may make fewer partitions than cores;
        // and a file split of up to 128 MB (spark.sql.files.maxPartitionBytes) grows several times once
        // decoded to floats (tinyint pixels x4, PNG bytes more): one cached block of it, read back from
        // disk into one heap buffer, exhausted a 1 GiB local-mode heap at 100,000 Parquet images
        // (bench/scale.sh). So at least one partition per INPUT_BYTES_PER_PARTITION of estimated input.
        int wanted = Math.max(parallelism, partitionsFor(rows));
        if (rows.rdd().getNumPartitions() < wanted) {
            rows = rows.repartition(wanted);
        }
        // Cached: the checking pass below decodes every image once and fills the cache, so the
        // caller's passes (splits, batches) do not decode again. LabeledImages.close() releases it.
        Dataset<Row> converted = raw.converted() ? rows
                : rows.map(new ToImageRow(shape, ingest.resize(), ingest.convertChannels(), ingest.maxPixels()),
                Encoders.row(ToImageRow.SCHEMA));
        Dataset<Row> checked = converted.persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            return checkDecoded(raw, checked, shape, ingest, limit, limitById, training, perClass, seed);
        } catch (RuntimeException e) {
            checked.unpersist(false);
            throw e;
        }
    }

    /** Estimated input bytes (Spark's plan statistics) per partition of the cached images. */
    static final long INPUT_BYTES_PER_PARTITION = 16L << 20;

    /** Partitions for {@code rows} by its plan's size estimate; 0 when Spark has none (RDD-based input). */
    static int partitionsFor(Dataset<Row> rows) {
        scala.math.BigInt size = rows.queryExecution().optimizedPlan().stats().sizeInBytes();
        if (!size.isValidLong() || size.longValue() >= (1L << 50)) {
            return 0;
        }
        return (int) Math.min(100_000, (size.longValue() + INPUT_BYTES_PER_PARTITION - 1) / INPUT_BYTES_PER_PARTITION);
    }

    private static LabeledImages checkDecoded(RawImages raw, Dataset<Row> checked, ImageShape shape,
                                              IngestConfig ingest, long limit, boolean limitById, boolean training,
                                              long perClass, long seed) {
        Column problem = col(ToImageRow.PROBLEM);
        List<Row> groups = checked.groupBy(col(ImageSchema.LABEL), problem)
                .agg(count(lit(1)), Fingerprint.hashSum1(), Fingerprint.hashSum2(),
                        sort_array(collect_list(when(problem.isNotNull(), struct(col(ImageSchema.ID),
                                col(ImageSchema.HEIGHT), col(ImageSchema.WIDTH), col(ImageSchema.CHANNELS))))))
                .collectAsList();

        Tally ok = new Tally(raw.labelNames().size());
        long files = 0;
        List<Row> unreadable = new ArrayList<>();
        List<Row> wrongSize = new ArrayList<>();
        List<Row> wrongChannels = new ArrayList<>();
        List<Row> badPixels = new ArrayList<>();
        List<Row> tooLarge = new ArrayList<>();
        for (Row g : groups) {
            files += g.getLong(2);
            String kind = g.getString(1);
            if (kind == null) {
                ok.add(g.getInt(0), g.getLong(2), g.get(3), g.get(4));
                continue;
            }
            List<Row> bad = g.getList(5);
            switch (kind) {
                case ToImageRow.UNREADABLE -> unreadable.addAll(bad);
                case ToImageRow.TOO_LARGE -> tooLarge.addAll(bad);
                case ToImageRow.SIZE -> wrongSize.addAll(bad);
                case ToImageRow.CHANNELS -> wrongChannels.addAll(bad);
                case ToImageRow.PIXELS -> badPixels.addAll(bad);
                case ToImageRow.SIZE_AND_CHANNELS -> {
                    wrongSize.addAll(bad);
                    wrongChannels.addAll(bad);
                }
                default -> throw new IllegalStateException("unknown problem " + kind);
            }
        }
        for (String id : raw.emptyFiles()) {
            unreadable.add(RowFactory.create(id, 0, 0, 0));
            files++;
        }
        Comparator<Row> byId = Comparator.comparing(r -> r.getString(0));
        unreadable.sort(byId);
        wrongSize.sort(byId);
        wrongChannels.sort(byId);
        badPixels.sort(byId);
        tooLarge.sort(byId);
        throwIfProblems(raw, shape, ingest, files, unreadable, wrongSize, wrongChannels, badPixels, tooLarge);
        List<String> dropped = Stream.concat(unreadable.stream(), tooLarge.stream())
                .map(r -> r.getString(0)).sorted().toList();

        Dataset<Row> frame = checked.filter(problem.isNull())
                .select(Arrays.stream(ImageSchema.SCHEMA.fieldNames()).map(n -> col(n)).toArray(Column[]::new));
        boolean cut = limitById && limit > 0 && ok.total() > limit;
        if (cut) {
            // The first N ids are chosen on the id column alone, then joined back: no task sorts or
            // merges pixel rows, and a sort-merge join (not a broadcast) keeps the ids off the driver.
            Dataset<Row> ids = frame.select(col(ImageSchema.ID)).orderBy(col(ImageSchema.ID))
                    .limit((int) Math.min(limit, Integer.MAX_VALUE));
            frame = frame.join(ids.hint("merge"), ImageSchema.ID, "left_semi");
        }
        boolean perClassCut = perClass > 0 && Arrays.stream(ok.perLabel).anyMatch(n -> n > perClass);
        if (perClassCut) {
            frame = limitPerClass(frame, perClass, seed);
        }
        if (cut || perClassCut) {
            ok = new Tally(raw.labelNames().size());
            for (Row g : frame.groupBy(col(ImageSchema.LABEL))
                    .agg(count(lit(1)), Fingerprint.hashSum1(), Fingerprint.hashSum2()).collectAsList()) {
                ok.add(g.getInt(0), g.getLong(1), g.get(2), g.get(3));
            }
        }

        Map<String, Long> classCounts = new LinkedHashMap<>();
        for (int i = 0; i < raw.labelNames().size(); i++) {
            classCounts.put(raw.labelNames().get(i), ok.perLabel[i]);
        }
        String skipped = dropped.isEmpty() ? ""
                : " after skipping " + dropped.size() + " unreadable file" + (dropped.size() == 1 ? "" : "s")
                + " (ingest.dropInvalid = true)";
        if (ok.total() == 0) {
            throw new DataException(raw.source() + (dropped.isEmpty()
                    ? ": holds no images; point " + raw.key() + " at data that has some"
                    : ": no readable images" + skipped + "; fix or replace the files"));
        }
        List<String> present = classCounts.entrySet().stream().filter(e -> e.getValue() > 0)
                .map(Map.Entry::getKey).toList();
        if (training && present.size() < 2) {
            String why = cut || raw.limited()
                    ? " within data.limit = " + limit + " (" + (limitById
                    ? "the first " + limit + " images by id, i.e. by class folder then file name"
                    : "the first " + limit + " images in the file") + "); raise data.limit or set it to 0"
                    : skipped + "; add images of at least one more class";
            throw new DataException(raw.source() + ": only one class (" + present.get(0)
                    + ") has images" + why + "; classification needs at least 2 classes");
        }
        return new LabeledImages(frame, raw.labelNames(), classCounts, dropped,
                Fingerprint.hex(ok.total(), ok.sum1, ok.sum2), checked);
    }

    /**
     * At most {@code perClass} images of each label: those first in the order of a hash of (seed, id),
     * ties by id. The ranking runs on (id, label) only and joins back, so no pixels go through the window.
     */
    static Dataset<Row> limitPerClass(Dataset<Row> frame, long perClass, long seed) {
        String hash = "__fw_hash";
        Dataset<Row> keep = frame.select(col(ImageSchema.ID), col(ImageSchema.LABEL))
                .withColumn(hash, xxhash64(lit(seed), lit("limitPerClass"), col(ImageSchema.ID)))
                .withColumn("__fw_rank", row_number().over(Window.partitionBy(col(ImageSchema.LABEL))
                        .orderBy(col(hash), col(ImageSchema.ID))))
                .filter(col("__fw_rank").leq(perClass))
                .select(col(ImageSchema.ID).as("__fw_keep"));
        return frame.join(keep, frame.col(ImageSchema.ID).equalTo(keep.col("__fw_keep")), "left_semi");
    }

    private static void throwIfProblems(RawImages raw, ImageShape shape, IngestConfig ingest, long files,
                                        List<Row> unreadable, List<Row> wrongSize, List<Row> wrongChannels,
                                        List<Row> badPixels, List<Row> tooLarge) {
        List<String> problems = new ArrayList<>();
        if (!badPixels.isEmpty()) {
            problems.add(badPixels.size() + " of " + files + " pixel arrays are null, not " + shape.size()
                    + " values long (data.height x data.width x data.channels = " + shape.height() + "x"
                    + shape.width() + "x" + shape.channels() + ", HWC) or hold values outside [0, 1] (floats) or "
                    + "0-255 (integers): " + badPixels.stream().limit(EXAMPLES)
                    .map(r -> r.getString(0) + " (" + r.getInt(1) + " values)").collect(Collectors.joining(", "))
                    + (badPixels.size() > EXAMPLES ? ", ... and " + (badPixels.size() - EXAMPLES) + " more" : "")
                    + "; arrays are neither resized nor converted: fix the column or data.height/width/channels");
        }
        if (!tooLarge.isEmpty() && !ingest.dropInvalid()) {
            problems.add(tooLarge.size() + " of " + files + " images have more than ingest.maxPixels = "
                    + ingest.maxPixels() + " pixels and were not decoded: " + examples(tooLarge, true)
                    + "; downscale them, raise ingest.maxPixels, or set ingest.dropInvalid = true to skip them");
        }
        if (!unreadable.isEmpty() && !ingest.dropInvalid()) {
            problems.add(unreadable.size() + " of " + files + " files could not be decoded as images (corrupt, "
                    + "truncated or not PNG/JPEG): " + examples(unreadable, false)
                    + "; fix or remove them, or set ingest.dropInvalid = true to skip them");
        }
        if (!wrongSize.isEmpty()) {
            problems.add(wrongSize.size() + " of " + files + " images are not " + shape.height() + "x"
                    + shape.width() + " (data.height x data.width): " + examples(wrongSize, true)
                    + "; set ingest.resize = true to resize them (bilinear), or set data.height and data.width"
                    + " to the images' size");
        }
        if (!wrongChannels.isEmpty()) {
            boolean wantGray = shape.channels() == 1;
            problems.add(wrongChannels.size() + " of " + files + " images are " + (wantGray ? "RGB" : "grayscale")
                    + " but data.channels = " + shape.channels() + ": " + examples(wrongChannels, true)
                    + "; set ingest.convertChannels = true to convert them ("
                    + (wantGray ? "luminance 0.299R + 0.587G + 0.114B" : "gray copied to R, G and B")
                    + "), or set data.channels = " + (wantGray ? 3 : 1));
        }
        if (problems.size() == 1) {
            throw new DataException(raw.source() + ": " + problems.get(0));
        }
        if (!problems.isEmpty()) {
            throw new DataException(raw.source() + ": " + problems.size() + " problems:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** The first few ids (with their shape), then how many more. */
    private static String examples(List<Row> bad, boolean withShape) {
        String shown = bad.stream().limit(EXAMPLES)
                .map(r -> withShape ? r.getString(0) + " (" + r.getInt(1) + "x" + r.getInt(2) + "x" + r.getInt(3) + ")"
                        : r.getString(0))
                .collect(Collectors.joining(", "));
        return bad.size() > EXAMPLES ? shown + ", ... and " + (bad.size() - EXAMPLES) + " more" : shown;
    }

    /** Usable images per label and the fingerprint sums, accumulated from aggregation rows. */
    private static final class Tally {
        final long[] perLabel;
        BigInteger sum1 = BigInteger.ZERO;
        BigInteger sum2 = BigInteger.ZERO;

        Tally(int labels) {
            perLabel = new long[labels];
        }

        void add(int label, long n, Object hashSum1, Object hashSum2) {
            perLabel[label] += n;
            sum1 = sum1.add(Fingerprint.bigInteger(hashSum1));
            sum2 = sum2.add(Fingerprint.bigInteger(hashSum2));
        }

        long total() {
            return Arrays.stream(perLabel).sum();
        }
    }
}
