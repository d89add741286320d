package io.foldwise.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.foldwise.config.ClassMap;
import io.foldwise.config.InvalidConfigException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The checks {@code data.classes} needs against the training data's source classes, shared by both readers. */
final class ClassSelection {
    private ClassSelection() {
    }

    /** A class listed in data.classes that the training data does not have is a config error (exit 2). */
    static void checkKnown(ClassMap classes, List<String> sources, String key, String location) {
        List<String> unknown = classes.unknown(sources);
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException("data.classes names class" + (unknown.size() == 1 ? " " : "es ")
                    + String.join(", ", unknown) + ", which " + key + " " + location + " does not have; its classes are "
                    + sources + "; list only those (or \"*\" for every other one)");
        }
    }

    /** A mapping that leaves fewer than 2 classes is a data error (exit 3). */
    static void checkEnough(ClassMap classes, List<String> targets, List<String> sources, String key,
                            String location) {
        if (targets.size() < 2) {
            throw new DataException(key + " " + location + ": data.classes = " + classes + " leaves "
                    + (targets.isEmpty() ? "no class" : "only one class (" + targets.get(0) + ")") + " of its classes "
                    + sources + "; classification needs at least 2: keep or map to at least two classes");
        }
    }

    /**
     * data.positiveClass: the named class becomes label 1 (the sigmoid output's class) of a two-class
     * problem; naming a class that is not one of exactly two is a config error (exit 2).
     */
    static RawImages positiveLast(RawImages raw, String positive) {
        List<String> names = raw.labelNames();
        if (names.size() != 2 || !names.contains(positive)) {
            throw new InvalidConfigException("data.positiveClass = \"" + positive + "\" must name one of the two "
                    + "classes of a two-class problem; " + raw.source() + " has classes " + names
                    + (names.size() == 2 ? "" : " (use data.classes to make two, e.g. { \"" + positive
                    + "\" = \"" + positive + "\", \"*\" = rest })"));
        }
        if (names.get(1).equals(positive)) {
            return raw;
        }
        Column label = col(ImageSchema.LABEL);
        Dataset<Row> swapped = raw.rows().withColumn(ImageSchema.LABEL, lit(1).minus(label));
        return new RawImages(swapped.select(Arrays.stream(RawImages.SCHEMA.fieldNames()).map(n -> col(n))
                .toArray(Column[]::new)), List.of(names.get(1), names.get(0)), raw.key(), raw.location(),
                raw.emptyFiles(), raw.limited(), raw.converted());
    }
}
