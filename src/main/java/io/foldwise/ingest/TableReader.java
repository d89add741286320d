package io.foldwise.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.foldwise.config.ClassMap;
import io.foldwise.config.DataColumns;
import io.foldwise.config.DataFormat;
import io.foldwise.config.ImageShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.FractionalType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads Parquet files or a catalog table with named columns ({@code data.columns}): an id, a class
 * name, the image (encoded PNG/JPEG bytes or a fixed-size pixel array) and an optional source path.
 * The schema is checked on the driver before any job; one aggregation over (label, id) finds the
 * classes and any null id or label; decoding happens in tasks ({@link DecodeImage}, {@link PixelArray}).
 */
final class TableReader {
    private TableReader() {
    }

    /** Opens the Parquet files or the table; a missing one is a data error naming key and location. */
    static Dataset<Row> load(SparkSession spark, DataFormat format, String key, String location) {
        if (format == DataFormat.PARQUET) {
            DataFiles.status(DataFiles.locate(spark, key, location), key, location,
                    "point " + key + " at a Parquet file or a directory of them");
            try {
                return spark.read().parquet(location);
            } catch (RuntimeException e) {
                throw new DataException(key + " " + location + ": cannot be read as Parquet (" + e.getMessage()
                        + "); give Parquet files with the columns of data.columns, or set data.format", e);
            }
        }
        try {
            return spark.table(location);
        } catch (Exception e) {
            if (e instanceof AnalysisException || e.getCause() instanceof AnalysisException) {
                throw new DataException(key + " " + location + ": no such table in Spark's catalog ("
                        + firstLine(e.getMessage()) + "); name it as db.table", e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Whether the frame has the label column (predict input without one is unlabeled). */
    static boolean hasColumn(Dataset<Row> table, String name) {
        return Arrays.asList(table.columns()).contains(name);
    }

    /**
     * @param labelNames null to derive the classes from the label column (training); otherwise the
     *                   training classes, which every label here must be one of
     * @param labeled    whether to read the label column (false: every label is 0 and means nothing)
     * @param classes    data.classes: which label values are read and the class each becomes
     */
    static RawImages read(Dataset<Row> table, String key, String location, DataColumns columns, ImageShape shape,
                          List<String> labelNames, boolean labeled, ClassMap classes) {
        String source = key + " " + location;
        StructType schema = table.schema();
        DataType idType = column(schema, columns.id(), "data.columns.id", source);
        requireType(idType instanceof StringType || idType instanceof IntegralType, columns.id(), "data.columns.id",
                idType, "a string or an integer", source);
        if (labeled) {
            DataType labelType = column(schema, columns.label(), "data.columns.label", source);
            requireType(labelType instanceof StringType || labelType instanceof IntegralType, columns.label(),
                    "data.columns.label", labelType, "a class name: a string or an integer", source);
        }
        DataType imageType = column(schema, columns.image(), "data.columns.image", source);
        boolean encoded = imageType instanceof BinaryType;
        DataType element = imageType instanceof ArrayType a ? a.elementType() : null;
        requireType(encoded || element instanceof IntegralType || element instanceof FractionalType, columns.image(),
                "data.columns.image", imageType, "binary (encoded PNG/JPEG bytes) or an array of numbers (pixels, HWC)",
                source);
        Column path = col(q(columns.id())).cast(DataTypes.StringType);
        if (columns.path().isPresent()) {
            DataType pathType = column(schema, columns.path().get(), "data.columns.path", source);
            requireType(pathType instanceof StringType, columns.path().get(), "data.columns.path", pathType,
                    "a string", source);
            path = functions.coalesce(col(q(columns.path().get())), path);
        }

        Dataset<Row> named = table.select(col(q(columns.id())).cast(DataTypes.StringType).as(ImageSchema.ID),
                labeled ? col(q(columns.label())).cast(DataTypes.StringType).as(ImageSchema.LABEL_NAME)
                        : lit("").as(ImageSchema.LABEL_NAME),
                path.as(ImageSchema.PATH),
                image(col(q(columns.image())), element).as(RawImages.DATA));
        Map<String, String> mapping = new TreeMap<>();
        List<String> names = labelNames(named, columns, key, location, labelNames, labeled, classes, mapping);
        if (labeled && !classes.all()) {
            // Source label -> class as a map literal; labels of dropped classes map to null and go.
            List<Column> pairs = new ArrayList<>();
            for (Map.Entry<String, String> e : mapping.entrySet()) {
                pairs.add(lit(e.getKey()));
                pairs.add(lit(e.getValue()));
            }
            Column mapped = pairs.isEmpty() ? lit(null).cast(DataTypes.StringType)
                    : functions.element_at(functions.map(pairs.toArray(Column[]::new)), col(ImageSchema.LABEL_NAME));
            named = named.withColumn(ImageSchema.LABEL_NAME, mapped)
                    .filter(col(ImageSchema.LABEL_NAME).isNotNull());
        }
        Column label = labeled
                ? functions.array_position(functions.array(names.stream().map(functions::lit).toArray(Column[]::new)),
                        col(ImageSchema.LABEL_NAME)).minus(1).cast(DataTypes.IntegerType)
                : lit(0);
        Dataset<Row> rows = named.select(col(ImageSchema.ID), label.as(ImageSchema.LABEL),
                col(ImageSchema.LABEL_NAME), col(ImageSchema.PATH), col(RawImages.DATA));
        if (encoded) {
            return new RawImages(rows.map(new DecodeImage(), Encoders.row(RawImages.SCHEMA)), names, key, location,
                    List.of(), false, false);
        }
        return new RawImages(rows.map(new PixelArray(shape, element instanceof IntegralType),
                Encoders.row(ToImageRow.SCHEMA)), names, key, location, List.of(), false, true);
    }

    /** Pixel arrays as array<float>; tinyint (signed in Spark) read as unsigned 0-255. */
    private static Column image(Column image, DataType element) {
        if (element == null) {
            return image;
        }
        if (element instanceof ByteType) {
            image = functions.transform(image, x -> x.cast(DataTypes.IntegerType).bitwiseAND(255));
        }
        return image.cast(DataTypes.createArrayType(DataTypes.FloatType, true));
    }

    /**
     * One job: images per class name and null ids. Null labels and ids are data errors; the classes
     * are mapped through {@code classes} (filling {@code mapping}, source label to class, for the
     * labels present) and sorted by name (training) or checked against the training classes.
     */
    private static List<String> labelNames(Dataset<Row> named, DataColumns columns, String key, String location,
                                           List<String> trainLabelNames, boolean labeled, ClassMap classes,
                                           Map<String, String> mapping) {
        String source = key + " " + location;
        List<Row> groups = named.groupBy(col(ImageSchema.LABEL_NAME))
                .agg(count(lit(1)), sum(when(col(ImageSchema.ID).isNull(), 1).otherwise(0)))
                .collectAsList();
        long nullIds = groups.stream().mapToLong(g -> g.getLong(2)).sum();
        if (nullIds > 0) {
            throw new DataException(source + ": " + nullIds + " row" + (nullIds == 1 ? " has" : "s have")
                    + " a null id in column \"" + columns.id() + "\" (data.columns.id); every image needs a unique id");
        }
        Map<String, Long> counts = new TreeMap<>();
        for (Row g : groups) {
            if (g.isNullAt(0)) {
                throw new DataException(source + ": " + g.getLong(1) + " row" + (g.getLong(1) == 1 ? " has" : "s have")
                        + " a null label in column \"" + columns.label() + "\" (data.columns.label); give every "
                        + "image its class name, or remove those rows");
            }
            counts.put(g.getString(0), g.getLong(1));
        }
        if (!labeled) {
            return trainLabelNames;
        }
        List<String> sources = List.copyOf(counts.keySet());
        if (trainLabelNames == null) {
            ClassSelection.checkKnown(classes, sources, key, location);
        }
        Map<String, Long> mapped = new TreeMap<>();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            classes.target(e.getKey()).ifPresent(t -> {
                mapping.put(e.getKey(), t);
                mapped.merge(t, e.getValue(), Long::sum);
            });
        }
        counts = mapped;
        if (trainLabelNames == null) {
            List<String> names = classes.targets(sources);
            if (sources.size() >= 2) {
                ClassSelection.checkEnough(classes, names, sources, key, location);
            }
            return names;
        }
        Map<String, Long> unknown = new TreeMap<>(counts);
        unknown.keySet().removeAll(trainLabelNames);
        if (!unknown.isEmpty()) {
            throw DataException.unknownLabels(source, "in column \"" + columns.label() + "\"", unknown,
                    trainLabelNames);
        }
        return trainLabelNames;
    }

    private static DataType column(StructType schema, String name, String configKey, String source) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f.dataType();
            }
        }
        throw new DataException(source + ": no column \"" + name + "\" (" + configKey + "); its columns are "
                + Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString())
                .collect(Collectors.joining(", ", "[", "]")) + "; set " + configKey + " to the right column");
    }

    private static void requireType(boolean ok, String name, String configKey, DataType type, String expected,
                                    String source) {
        if (!ok) {
            throw new DataException(source + ": column \"" + name + "\" (" + configKey + ") is "
                    + type.simpleString() + "; expected " + expected);
        }
    }

    /** Quotes a column name for col(), so names with dots are read literally. */
    private static String q(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
