package io.foldwise.ingest;

import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Option;

/**
 * Executor side: decodes a column of encoded PNG/JPEG bytes into a {@link RawImages} row with the
 * decoder of Spark's {@code image} data source, so that images from a table are decoded, laid out
 * and checked exactly as the same files in folders. Undecodable bytes give an unreadable row.
 */
final class DecodeImage implements MapFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final byte[] NONE = new byte[0];

    /** @param row id, label, labelName, path, encoded bytes (nullable) */
    @Override
    public Row call(Row row) {
        String path = row.getString(3);
        byte[] bytes = row.isNullAt(4) ? null : (byte[]) row.get(4);
        Option<Row> decoded = bytes == null || bytes.length == 0 ? Option.empty()
                : org.apache.spark.ml.image.ImageSchema$.MODULE$.decode(path, bytes);
        if (decoded.isEmpty()) {
            return RowFactory.create(row.getString(0), row.getInt(1), row.getString(2), path, -1, -1, -1, NONE);
        }
        // decode wraps the image struct (origin, height, width, nChannels, mode, data) in a row.
        Row image = decoded.get().getStruct(0);
        return RowFactory.create(row.getString(0), row.getInt(1), row.getString(2), path, image.getInt(1),
                image.getInt(2), image.getInt(3), image.get(5));
    }
}
