package io.foldwise.train;

import java.util.NoSuchElementException;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import io.foldwise.config.ImageShape;
import io.foldwise.ingest.ImageSchema;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.datavec.spark.util.SerializableHadoopConfig;
import scala.collection.mutable.WrappedArray;

/**
 * Training data prepared once, as compact binary files on shared storage, and streamed from there
 * by every trial that needs it. A shard set has groups (the sweep's folds, or {@code train} and
 * {@code validation}); a trial trains on some groups and validates on another, so the grid points
 * that share a fold read the same files and no trial materialises its data in a Spark task.
 *
 * <p>Each group is written as {@code g<group>/part-<n>}: rows are spread over a number of files that
 * depends on the data only (never on the cluster) by a seeded hash of their id, and ordered by it
 * within a file, so the files' content is the same on any partitioning. A record holds the id, the label,
 * the row's position among the rows of its class in its group (for nested, stratified subsamples:
 * {@link Record#inSubsample}), whether it is an original image or an augmented copy, and the
 * pixels in the network's CHW order: one byte per value when every value of the image is exactly
 * k/255 (8-bit originals, 4 times smaller), float32 otherwise (resized or augmented images are
 * never quantised).
 */
public final class Shards {
    /** Column with the group (int) a row belongs to. */
    public static final String GROUP = "__fw_group";
    /** Column with the row's 0-based position among its class's rows in its group. */
    public static final String POSITION = "__fw_position";
    /** Column with the number of rows of the row's class in its group. */
    public static final String CLASS_COUNT = "__fw_group_class_count";

    /** Rows per file, about; the file count is derived from the data alone. */
    static final int ROWS_PER_FILE = 4096;
    private static final int MAGIC = 0x46575331; // "FWS1"
    private static final byte ORIGINAL = 1;
    private static final byte FLOAT32 = 2;

    private Shards() {
    }

    /**
     * Writes {@code rows} (columns label, pixels, {@link #GROUP}, {@link #POSITION},
     * {@link #CLASS_COUNT}, and optionally the augmenter's {@code copy}) under {@code dir} as one
     * Spark job whose tasks each write their own files.
     *
     * @param rowCount how many rows there are (decides the file count)
     */
    public static ShardSet write(JavaSparkContext sc, Dataset<Row> rows, long rowCount, ImageShape shape, Path dir,
                                 long seed) {
        int files = (int) Math.max(1, Math.min(100_000, (rowCount + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
        boolean hasCopy = Arrays.asList(rows.columns()).contains("copy");
        Column order = xxhash64(lit(seed), lit("shard"), col(ImageSchema.ID));
        Dataset<Row> laid = rows.select(col(GROUP), col(ImageSchema.LABEL), col(POSITION), col(CLASS_COUNT),
                        hasCopy ? col("copy") : lit(0).as("copy"), col(ImageSchema.PIXELS), col(ImageSchema.ID),
                        order.as("__fw_order"))
                .repartition(files, col("__fw_order"))
                .sortWithinPartitions(col(GROUP), col("__fw_order"));
        Broadcast<SerializableHadoopConfig> hadoop =
                sc.broadcast(new SerializableHadoopConfig(sc.hadoopConfiguration()));
        try {
            laid.toJavaRDD().foreachPartition(new WriteFiles(dir.toString(), shape, hadoop));
        } finally {
            hadoop.destroy();
        }
        return new ShardSet(dir.toString(), shape);
    }

    /**
     * The pixels of a row's {@code pixels} column without boxing each value: Spark hands a
     * non-null {@code array<float>} to Java as a Scala {@code WrappedArray} over a primitive array.
     */
    public static float[] floats(Row row, int index) {
        Object v = row.get(index);
        if (v instanceof WrappedArray.ofFloat w) {
            return w.array();
        }
        List<Float> list = row.getList(index);
        float[] a = new float[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }

    /** HWC (as stored in rows) to CHW (as the networks take them). */
    static void toChw(float[] hwc, int height, int width, int channels, float[] dest, int offset) {
        int plane = height * width;
        if (channels == 1) {
            System.arraycopy(hwc, 0, dest, offset, plane);
            return;
        }
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < channels; c++) {
                dest[offset + c * plane + p] = hwc[p * channels + c];
            }
        }
    }

    /** Executor side of {@link #write}: one file per group present in the partition. */
    private static final class WriteFiles implements VoidFunction<Iterator<Row>> {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private final ImageShape shape;
        private final Broadcast<SerializableHadoopConfig> hadoop;

        WriteFiles(String dir, ImageShape shape, Broadcast<SerializableHadoopConfig> hadoop) {
            this.dir = dir;
            this.shape = shape;
            this.hadoop = hadoop;
        }

        @Override
        public void call(Iterator<Row> rows) throws IOException {
            TaskContext task = TaskContext.get();
            Configuration conf = hadoop.value().getConfiguration();
            int size = shape.size();
            float[] chw = new float[size];
            byte[] bytes = new byte[size];
            Map<Integer, Path[]> open = new HashMap<>(); // group -> {temporary, final}
            DataOutputStream out = null;
            int current = Integer.MIN_VALUE;
            FileSystem fs = new Path(dir).getFileSystem(conf);
            try {
                while (rows.hasNext()) {
                    Row r = rows.next();
                    int group = r.getInt(0);
                    if (group != current) {
                        if (out != null) {
                            out.close();
                        }
                        current = group;
                        Path target = new Path(dir, "g" + group + "/part-" + String.format("%05d", task.partitionId()));
                        Path tmp = new Path(dir, "g" + group + "/_tmp-" + task.partitionId() + "-"
                                + task.taskAttemptId());
                        open.put(group, new Path[] {tmp, target});
                        out = new DataOutputStream(new BufferedOutputStream(fs.create(tmp, true), 1 << 16));
                        out.writeInt(MAGIC);
                        out.writeInt(shape.height());
                        out.writeInt(shape.width());
                        out.writeInt(shape.channels());
                    }
                    float[] hwc = floats(r, 5);
                    if (hwc.length != size) {
                        throw new IllegalStateException("an image has " + hwc.length + " values, expected " + size
                                + " (" + shape + ")");
                    }
                    toChw(hwc, shape.height(), shape.width(), shape.channels(), chw, 0);
                    boolean eightBit = eightBit(chw, bytes);
                    out.writeUTF(r.getString(6));
                    out.writeInt(r.getInt(1));
                    out.writeInt((int) r.getLong(2));
                    out.writeInt((int) r.getLong(3));
                    out.writeByte((r.getInt(4) == 0 ? ORIGINAL : 0) | (eightBit ? 0 : FLOAT32));
                    if (eightBit) {
                        out.write(bytes);
                    } else {
                        for (float v : chw) {
                            out.writeFloat(v);
                        }
                    }
                }
            } finally {
                if (out != null) {
                    out.close();
                }
            }
            // Commit: a retried or speculative attempt finds the file already there and drops its own.
            for (Path[] p : open.values()) {
                if (!fs.exists(p[1]) && fs.rename(p[0], p[1])) {
                    continue;
                }
                fs.delete(p[0], false);
            }
        }

        /** True, with {@code bytes} filled, when every value is exactly k/255. */
        private static boolean eightBit(float[] values, byte[] bytes) {
            for (int i = 0; i < values.length; i++) {
                float v = values[i];
                int k = Math.round(v * 255f);
                if (k < 0 || k > 255 || k / 255f != v) {
                    return false;
                }
                bytes[i] = (byte) k;
            }
            return true;
        }
    }

    /** A written shard set: its directory and image shape. Serializable, so tasks can read it. */
    public record ShardSet(String dir, ImageShape shape) implements Serializable {
        /** The files of {@code groups}, in a fixed order (group, then file name). */
        public List<String> files(Configuration conf, List<Integer> groups) {
            List<String> out = new ArrayList<>();
            try {
                FileSystem fs = new Path(dir).getFileSystem(conf);
                for (int g : groups) {
                    Path gd = new Path(dir, "g" + g);
                    if (!fs.exists(gd)) {
                        continue; // a group with no rows (a fold can be empty only in tiny tests)
                    }
                    FileStatus[] st = fs.listStatus(gd, p -> p.getName().startsWith("part-"));
                    Arrays.sort(st, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
                    for (FileStatus s : st) {
                        out.add(s.getPath().toString());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list prepared training data under " + dir, e);
            }
            return out;
        }
    }

    /** One stored image. {@code features} is CHW, shared by the reader: copy it to keep it. */
    public record Record(String id, int label, int position, int classCount, boolean original, float[] features) {
        /**
         * Whether this row is in the stratified subsample of {@code fraction}: the first
         * ceil(n × fraction) rows of its class in its group. Nested: a smaller fraction's
         * subsample is contained in every larger one's.
         */
        public boolean inSubsample(double fraction) {
            return fraction >= 1 || position < Math.ceil(classCount * fraction - 1e-9);
        }
    }

    /** Reads the records of one file, reusing one feature array. */
    public static final class Reader implements Iterator<Record>, AutoCloseable {
        private final DataInputStream in;
        private final float[] features;
        private final byte[] bytes;
        private Record next;
        private boolean loaded;

        public Reader(Configuration conf, String file) {
            try {
                Path p = new Path(file);
                InputStream raw = p.getFileSystem(conf).open(p);
                this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
                if (in.readInt() != MAGIC) {
                    throw new IOException("not a Foldwise shard file (bad magic)");
                }
                int size = in.readInt() * in.readInt() * in.readInt();
                this.features = new float[size];
                this.bytes = new byte[size];
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prepared training data " + file, e);
            }
        }

        private void advance() {
            try {
                String id;
                try {
                    id = in.readUTF();
                } catch (EOFException end) {
                    next = null;
                    return;
                }
                int label = in.readInt();
                int position = in.readInt();
                int classCount = in.readInt();
                byte flags = in.readByte();
                if ((flags & FLOAT32) != 0) {
                    for (int i = 0; i < features.length; i++) {
                        features[i] = in.readFloat();
                    }
                } else {
                    in.readFully(bytes);
                    for (int i = 0; i < features.length; i++) {
                        features[i] = (bytes[i] & 0xFF) / 255f;
                    }
                }
                next = new Record(id, label, position, classCount, (flags & ORIGINAL) != 0, features);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prepared training data", e);
            }
        }

        @Override
        public boolean hasNext() {
            if (!loaded) {
                // Read lazily: the record handed out last shares the feature array until now.
                advance();
                loaded = true;
            }
            return next != null;
        }

        @Override
        public Record next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            loaded = false;
            return next;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // read-only stream: nothing to lose
            }
        }
    }
}
