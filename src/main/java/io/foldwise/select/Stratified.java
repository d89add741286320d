package io.foldwise.select;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The seeded per-class order every split uses: within each label, images ranked by a hash of
 * (seed, salt, id), ties by id. It depends only on the seed and the ids, never on partitioning
 * or row order.
 */
final class Stratified {
    static final String ID = "id";
    static final String LABEL = "label";
    /** 0-based rank of the image within its class in seeded hash order. */
    static final String RANK = "__fw_rank";
    /** The image count of the image's class. */
    static final String CLASS_COUNT = "__fw_class_count";
    private static final String HASH = "__fw_hash";

    private Stratified() {
    }

    static void requireColumns(Dataset<Row> images, String... columns) {
        for (String c : columns) {
            if (!Arrays.asList(images.columns()).contains(c)) {
                throw new IllegalArgumentException("the images DataFrame has no '" + c + "' column; it has "
                        + String.join(", ", images.columns()));
            }
        }
    }

    /** {@code images} with {@link #RANK} and {@link #CLASS_COUNT} added. */
    static Dataset<Row> ranked(Dataset<Row> images, long seed, String salt) {
        requireColumns(images, ID, LABEL);
        Column hash = xxhash64(lit(seed), lit(salt), col(ID).cast("string"));
        WindowSpec byClass = Window.partitionBy(col(LABEL));
        WindowSpec ordered = byClass.orderBy(col(HASH), col(ID));
        return images.withColumn(HASH, hash)
                .withColumn(RANK, row_number().over(ordered).minus(1))
                .withColumn(CLASS_COUNT, count(lit(1)).over(byClass))
                .drop(HASH);
    }

    /** Selects the original columns again, in their original order. */
    static Dataset<Row> original(Dataset<Row> ranked, Dataset<Row> images, String... extra) {
        Column[] cols = new Column[images.columns().length + extra.length];
        for (int i = 0; i < images.columns().length; i++) {
            cols[i] = col(images.columns()[i]);
        }
        for (int i = 0; i < extra.length; i++) {
            cols[images.columns().length + i] = col(extra[i]);
        }
        return ranked.select(cols);
    }
}
