package io.foldwise.select;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stratified, seeded hold-out splits and learning-curve subsamples. Like {@link FoldSplitter},
 * they order each class's images by a hash of (seed, id) and so depend only on the seed and the
 * ids; each uses its own salt, so a holdout and a fold assignment with the same seed are not
 * correlated. Both run as Spark work; nothing is collected. Ranks are computed on (id, label) only
 * and joined back to the image rows by id (ids must be unique, as ingest makes them).
 */
public final class Splits {
    /** Absorbs binary rounding, so that {@code 0.1 * 30} counts as 3, as written in decimal. */
    private static final double EPS = 1e-9;
    private static final String OUT = "__fw_held_out";

    private Splits() {
    }

    /**
     * Holds out, per class of n images, round(n × fraction) images (halves round up), but at least
     * 1 and at most n − 1 when n ≥ 2; a class of one image stays in training. Used for the
     * {@code train} command's validation split and for {@code data.testFraction}.
     *
     * @throws IllegalArgumentException if fraction is not in (0, 1)
     */
    public static Split holdout(Dataset<Row> images, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("holdout fraction must be in (0, 1), got " + fraction);
        }
        Column n = col(Stratified.CLASS_COUNT);
        Column rounded = floor(n.multiply(fraction).plus(0.5 + EPS));
        Column held = when(n.geq(2), least(greatest(rounded, lit(1)), n.minus(1))).otherwise(lit(0));
        Dataset<Row> marked = Stratified.joinBack(images,
                Stratified.ranked(images, seed, "holdout").withColumn(OUT, col(Stratified.RANK).lt(held)), OUT);
        return new Split(marked.where(col(OUT).unary_$bang()).drop(OUT), marked.where(col(OUT)).drop(OUT));
    }

    /**
     * A stratified learning-curve subsample: per class of n images, the first ceil(n × fraction)
     * in seeded hash order. For one seed, a smaller fraction's subsample is contained in every
     * larger one's. Fraction 1 returns {@code trainPart} itself.
     *
     * @throws IllegalArgumentException if fraction is not in (0, 1]
     */
    public static Dataset<Row> subsample(Dataset<Row> trainPart, double fraction, long seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("subsample fraction must be in (0, 1], got " + fraction);
        }
        if (fraction == 1) {
            return trainPart;
        }
        Column keep = col(Stratified.RANK).lt(ceil(col(Stratified.CLASS_COUNT).multiply(fraction).minus(EPS)));
        Dataset<Row> kept = Stratified.ranked(trainPart, seed, "subsample").where(keep);
        return Stratified.joinBack(trainPart, kept);
    }
}
