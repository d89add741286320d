package io.foldwise.select;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A stratified two-way split of images made by {@link Splits#holdout}.
 *
 * @param train   the images kept for training
 * @param heldOut the images held out (for validation or as the test set)
 */
public record Split(Dataset<Row> train, Dataset<Row> heldOut) {
}
