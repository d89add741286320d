package io.foldwise.ingest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * An order- and partitioning-independent fingerprint of images in {@link ImageSchema#SCHEMA}:
 * each row is hashed twice (two 64-bit xxHash values over id, label, label name, shape and
 * pixels), the hashes are summed exactly across the cluster, and the count and sums are digested.
 * Sums, unlike XOR, do not cancel duplicate rows.
 */
public final class Fingerprint {
    /** Wide enough that summing 64-bit hashes cannot overflow for any realistic row count. */
    private static final DataType WIDE = DataTypes.createDecimalType(20, 0);

    /**
     * The fingerprint's own format. Fingerprints of version 1 are bare hex; a later format is
     * written {@code v<N>:<hex>}, so that a run fingerprinted the old way is not taken for changed data.
     */
    public static final int VERSION = 1;

    private Fingerprint() {
    }

    /** The format version of a stored fingerprint. */
    public static int versionOf(String fingerprint) {
        Matcher m = Pattern.compile("v(\\d+):.*").matcher(fingerprint);
        return m.matches() ? Integer.parseInt(m.group(1)) : 1;
    }

    /**
     * True when {@code stored} and {@code now} are of one format and differ: the data changed.
     * Fingerprints of different formats cannot be compared and count as unchanged.
     */
    public static boolean changed(String stored, String now) {
        return versionOf(stored) == versionOf(now) && !stored.equals(now);
    }

    /** Fingerprint of every row of {@code frame}; runs one aggregation job. */
    public static String of(Dataset<Row> frame) {
        Row r = frame.agg(count(lit(1)), hashSum1(), hashSum2()).first();
        return hex(r.getLong(0), bigInteger(r.get(1)), bigInteger(r.get(2)));
    }

    /** Aggregate: exact sum of the first row hash. */
    static Column hashSum1() {
        return sum(xxhash64(col(ImageSchema.ID), col(ImageSchema.LABEL), col(ImageSchema.LABEL_NAME),
                col(ImageSchema.HEIGHT), col(ImageSchema.WIDTH), col(ImageSchema.CHANNELS),
                col(ImageSchema.PIXELS)).cast(WIDE));
    }

    /** Aggregate: exact sum of the second row hash (same fields, reverse order, so independent bits). */
    static Column hashSum2() {
        return sum(xxhash64(col(ImageSchema.PIXELS), col(ImageSchema.CHANNELS), col(ImageSchema.WIDTH),
                col(ImageSchema.HEIGHT), col(ImageSchema.LABEL_NAME), col(ImageSchema.LABEL),
                col(ImageSchema.ID)).cast(WIDE));
    }

    /** A sum column's value; null (no rows) is 0. */
    static BigInteger bigInteger(Object decimal) {
        return decimal == null ? BigInteger.ZERO : ((BigDecimal) decimal).toBigIntegerExact();
    }

    /** Digest of the row count and both hash sums: 32 hex characters (128 bits of SHA-256). */
    static String hex(long count, BigInteger sum1, BigInteger sum2) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("foldwise-images-v1:" + count + ":" + sum1 + ":" + sum2).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
