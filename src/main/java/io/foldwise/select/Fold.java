package io.foldwise.select;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One cross-validation fold: train on every other fold, validate on this one. Both DataFrames
 * have the columns of the images given to {@link FoldSplitter#assign}, without {@code fold}.
 *
 * @param index      this fold's number, in [0, k)
 * @param k          the number of folds
 * @param train      the images of the other k − 1 folds
 * @param validation the images of this fold
 */
public record Fold(int index, int k, Dataset<Row> train, Dataset<Row> validation) {
}
