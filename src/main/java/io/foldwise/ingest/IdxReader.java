package io.foldwise.ingest;

import io.foldwise.config.ClassMap;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.io.Closeable;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads MNIST-style IDX files (an unsigned-byte images file of n x rows x cols and a labels file
 * of n), raw or gzip-compressed, in Spark tasks. The driver reads only the two headers and checks
 * them against the files' sizes before anything is allocated (for gzip, against the bytes one task
 * counts while decompressing); then tasks read record ranges: a raw file by seeking to
 * {@code header + first * recordSize}, a gzip file (which cannot be split) by decompressing from
 * the start and skipping to its range, streaming, so no task or the driver holds a whole file.
 * Skipping costs each gzip task the decompression of what precedes its range (about half the file
 * on average); gzip files are therefore read in {@code defaultParallelism} ranges only, and raw
 * files in ranges of at most {@link #RANGE_BYTES}. The class names come from one job that counts
 * the labels per value.
 */
final class IdxReader {
    static final int IMAGES_DIMS = 3;
    static final int LABELS_DIMS = 1;
    private static final int UNSIGNED_BYTE = 0x08;
    /** Largest record range of a raw file one task reads. */
    static final long RANGE_BYTES = 64L << 20;

    private IdxReader() {
    }

    /**
     * @param labelNames null to derive the classes from the labels (training); otherwise the
     *                   training classes, which every label here must be one of
     * @param classes    data.classes: which labels are read and the class each becomes
     * @param limit      read only the first {@code limit} images (0 = all) when {@code classes} keeps every
     *                   class; otherwise every record is read and the caller cuts by id (file order)
     */
    static RawImages read(SparkSession spark, String imagesKey, String imagesLocation, String labelsKey,
                          String labelsLocation, List<String> labelNames, ClassMap classes, long limit) {
        Opened files = Opened.of(spark, imagesKey, imagesLocation, labelsKey, labelsLocation);
        IdxFile imageFile = files.images();
        IdxFile labelFile = files.labels();
        JavaSparkContext jsc = files.jsc();
        SerializableConfiguration conf = files.conf();
        int n = imageFile.dims[0];
        int height = imageFile.dims[1];
        int width = imageFile.dims[2];
        imageFile.checkSize(jsc, conf, n + " images of " + height + "x" + width, "images");
        labelFile.checkSize(jsc, conf, n + " labels", "labels");

        int parallelism = spark.sparkContext().defaultParallelism();
        long[] counts = files.labelCounts(parallelism);
        List<String> names;
        if (labelNames == null) {
            List<String> sources = sortedNames(counts);
            ClassSelection.checkKnown(classes, sources, labelsKey, labelsLocation);
            names = classes.targets(sources);
            if (sources.size() >= 2) {
                ClassSelection.checkEnough(classes, names, sources, labelsKey, labelsLocation);
            }
        } else {
            names = labelNames;
            checkKnown(counts, labelNames, classes, labelsKey, labelsLocation);
        }

        // With every class kept, the first N records are the first N images; otherwise which records
        // the limit keeps depends on the labels, so all are read and the caller cuts by id (file order).
        int count = limit > 0 && classes.all() ? (int) Math.min(n, limit) : n;
        List<long[]> ranges = imageFile.ranges(count, parallelism);
        JavaRDD<Row> rows = jsc.parallelize(ranges, ranges.size())
                .flatMap(new ReadRange(imageFile, labelFile, conf, names, classes, files.imagesPath().getName(),
                        files.imagesPath().toUri().toString(), n, height, width));
        return new RawImages(spark.createDataFrame(rows, RawImages.SCHEMA), names, imagesKey, imagesLocation,
                List.of(), count < n, false);
    }

    /**
     * An images file and its labels file, located, their headers read and checked against each other
     * (rows and columns >= 1, one label per image): the one opener of {@link #read} and
     * {@link #checkHeaders}.
     */
    private record Opened(IdxFile images, IdxFile labels, org.apache.hadoop.fs.Path imagesPath, JavaSparkContext jsc,
                          SerializableConfiguration conf) {
        static Opened of(SparkSession spark, String imagesKey, String imagesLocation, String labelsKey,
                         String labelsLocation) {
            DataFiles.Located imagesAt = locateFile(spark, imagesKey, imagesLocation, "IDX images file");
            DataFiles.Located labelsAt = locateFile(spark, labelsKey, labelsLocation, "IDX labels file");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            IdxFile labels = IdxFile.open(labelsAt, labelsKey, labelsLocation, LABELS_DIMS, imagesKey);
            IdxFile images = IdxFile.open(imagesAt, imagesKey, imagesLocation, IMAGES_DIMS, labelsKey);
            if (images.dims[1] < 1 || images.dims[2] < 1) {
                throw new DataException(imagesKey + " " + imagesLocation + ": header says images are " + images.dims[1]
                        + "x" + images.dims[2] + "; an IDX images file needs rows and columns >= 1");
            }
            if (images.dims[0] != labels.dims[0]) {
                throw new DataException(imagesKey + " " + imagesLocation + " holds " + images.dims[0] + " images but "
                        + labelsKey + " " + labelsLocation + " holds " + labels.dims[0]
                        + " labels; they must have one label per image (are they from the same set?)");
            }
            return new Opened(images, labels, imagesAt.path(), jsc,
                    new SerializableConfiguration(jsc.hadoopConfiguration()));
        }

        /** How many labels of each byte value the labels file holds: one Spark job over its ranges. */
        long[] labelCounts(int parallelism) {
            List<long[]> ranges = labels.ranges(labels.dims[0], parallelism);
            return jsc.parallelize(ranges, ranges.size()).map(new LabelHistogram(labels, conf))
                    .fold(new long[256], IdxReader::add);
        }
    }

    private static long[] add(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /**
     * One IDX file as tasks see it: where it is, whether it is gzip, its header and its record size.
     * Built on the driver from the header alone.
     */
    static final class IdxFile implements Serializable {
        private static final long serialVersionUID = 1L;
        final String uri;
        final String key;
        final String location;
        final boolean gzip;
        final long length;
        final int headerBytes;
        final int[] dims;
        final long recordSize;

        private IdxFile(String uri, String key, String location, boolean gzip, long length, int[] dims) {
            this.uri = uri;
            this.key = key;
            this.location = location;
            this.gzip = gzip;
            this.length = length;
            this.dims = dims;
            this.headerBytes = 4 + 4 * dims.length;
            long size = 1;
            for (int i = 1; i < dims.length; i++) {
                size *= dims[i];
            }
            this.recordSize = size;
        }

        static IdxFile open(DataFiles.Located at, String key, String location, int expectedDims, String otherKey) {
            try (DataInputStream in = IdxReader.open(at, key, location)) {
                int[] dims = header(in, key, location, expectedDims, otherKey);
                boolean gzip = isGzip(at);
                long length = at.fs().getFileStatus(at.path()).getLen();
                return new IdxFile(at.path().toUri().toString(), key, location, gzip, length, dims);
            } catch (IOException e) {
                throw DataFiles.failure(key, location, "cannot read it", e);
            }
        }

        /**
         * Refuses a file that holds fewer records than its header claims, before anything of that size
         * is allocated: a raw file by its length, a gzip file by the bytes one task decompresses.
         */
        void checkSize(JavaSparkContext jsc, SerializableConfiguration conf, String claim, String what) {
            long n = dims[0];
            long available;
            String measured;
            if (gzip) {
                IdxFile self = this;
                long[] counted = jsc.parallelize(List.of(0), 1).map(x -> self.decompressedLength(conf)).first();
                if (counted[1] != 0) {
                    throw new DataException(key + " " + location + ": corrupt gzip data after " + counted[0]
                            + " decompressed bytes; re-download or decompress it");
                }
                available = counted[0];
                measured = (counted[0] + headerBytes) + " bytes decompressed";
            } else {
                available = length - headerBytes;
                measured = length + " bytes";
            }
            long holds = recordSize == 0 ? n : Math.max(0, available) / recordSize;
            if (holds < n) {
                throw new DataException(key + " " + location + ": file is truncated; its header promises " + claim
                        + " but the file holds " + holds + " " + what + " (" + measured + ", a " + headerBytes
                        + "-byte header and " + recordSize + " byte" + (recordSize == 1 ? "" : "s") + " per record)"
                        + "; re-download it");
            }
        }

        /** {decompressed bytes after the header, 1 if the gzip data is corrupt}: one streaming pass, a fixed buffer. */
        long[] decompressedLength(SerializableConfiguration conf) throws IOException {
            long total = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream in = stream(conf, 0)) {
                for (int r; (r = in.read(buffer)) > 0; ) {
                    total += r;
                }
            } catch (ZipException | EOFException e) {
                return new long[] {total, 1};
            }
            return new long[] {total, 0};
        }

        /** Record ranges [first, end) of the first {@code count} records, as {first, end} pairs. */
        List<long[]> ranges(long count, int parallelism) {
            long pieces = gzip ? parallelism
                    : Math.max(parallelism, (count * recordSize + RANGE_BYTES - 1) / RANGE_BYTES);
            pieces = Math.max(1, Math.min(pieces, count));
            List<long[]> out = new ArrayList<>();
            for (long i = 0; i < pieces; i++) {
                out.add(new long[] {count * i / pieces, count * (i + 1) / pieces});
            }
            return out;
        }

        /** The file's data from record {@code first} on: a seek (raw) or a decompressing skip (gzip). */
        InputStream stream(SerializableConfiguration conf, long first) throws IOException {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(java.net.URI.create(uri));
            FileSystem fs = path.getFileSystem(conf.value());
            long offset = headerBytes + first * recordSize;
            org.apache.hadoop.fs.FSDataInputStream raw = fs.open(path);
            try {
                if (!gzip) {
                    raw.seek(offset);
                    return new BufferedInputStream(raw, 1 << 16);
                }
                InputStream in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                skipFully(in, offset);
                return in;
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }
    }

    /** Skips exactly {@code n} bytes, decompressing through a fixed buffer. */
    static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("ended " + left + " bytes before the offset " + n);
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** Counts the labels of one range per byte value. */
    static final class LabelHistogram implements Function<long[], long[]> {
        private static final long serialVersionUID = 1L;
        private final IdxFile labels;
        private final SerializableConfiguration conf;

        LabelHistogram(IdxFile labels, SerializableConfiguration conf) {
            this.labels = labels;
            this.conf = conf;
        }

        @Override
        public long[] call(long[] range) throws IOException {
            long[] counts = new long[256];
            try (InputStream in = labels.stream(conf, range[0])) {
                byte[] buffer = new byte[1 << 16];
                long left = range[1] - range[0];
                while (left > 0) {
                    int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (r < 0) {
                        throw new EOFException(labels.location + " ended " + left + " labels early");
                    }
                    for (int i = 0; i < r; i++) {
                        counts[buffer[i] & 0xFF]++;
                    }
                    left -= r;
                }
            }
            return counts;
        }
    }

    /** Streams one range's images and labels as {@link RawImages} rows, one record at a time. */
    static final class ReadRange implements FlatMapFunction<long[], Row> {
        private static final long serialVersionUID = 1L;
        private final IdxFile images;
        private final IdxFile labels;
        private final SerializableConfiguration conf;
        private final ArrayList<String> names;
        private final ClassMap classes;
        private final String fileName;
        private final String uri;
        private final String format;
        private final int height;
        private final int width;

        ReadRange(IdxFile images, IdxFile labels, SerializableConfiguration conf, List<String> names,
                  ClassMap classes, String fileName, String uri, int n, int height, int width) {
            this.images = images;
            this.labels = labels;
            this.conf = conf;
            this.names = new ArrayList<>(names);
            this.classes = classes;
            this.fileName = fileName;
            this.uri = uri;
            // Ids pad to the file's size, not the limit, so they stay the same whatever data.limit is.
            this.format = "%0" + Integer.toString(Math.max(n - 1, 0)).length() + "d";
            this.height = height;
            this.width = width;
        }

        @Override
        public Iterator<Row> call(long[] range) throws IOException {
            DataInputStream pixels = new DataInputStream(images.stream(conf, range[0]));
            InputStream labelStream;
            try {
                labelStream = labels.stream(conf, range[0]);
            } catch (IOException | RuntimeException e) {
                pixels.close();
                throw e;
            }
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener(context -> {
                    closeQuietly(pixels);
                    closeQuietly(labelStream);
                });
            }
            int size = height * width;
            return new Iterator<>() {
                long next = range[0];
                Row pending;

                @Override
                public boolean hasNext() {
                    while (pending == null && next < range[1]) {
                        pending = readOne();
                    }
                    if (pending != null) {
                        return true;
                    }
                    closeQuietly(pixels);
                    closeQuietly(labelStream);
                    return false;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Row row = pending;
                    pending = null;
                    return row;
                }

                /** The next record as a row, or null when data.classes drops its class. */
                private Row readOne() {
                    try {
                        byte[] data = new byte[size];
                        pixels.readFully(data);
                        int b = labelStream.read();
                        if (b < 0) {
                            throw new EOFException(labels.location + " ended at label " + next);
                        }
                        long i = next++;
                        Optional<String> name = classes.target(Integer.toString(b));
                        if (name.isEmpty()) {
                            return null;
                        }
                        return RowFactory.create(fileName + "#" + String.format(format, i), names.indexOf(name.get()),
                                name.get(), uri, height, width, 1, data);
                    } catch (IOException e) {
                        throw new UncheckedIOException(images.location + ": reading record " + next + " failed", e);
                    }
                }
            };
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already read what we needed
        }
    }

    private static DataFiles.Located locateFile(SparkSession spark, String key, String location, String what) {
        DataFiles.Located at = DataFiles.locate(spark, key, location);
        FileStatus status = DataFiles.status(at, key, location, "point " + key + " at an " + what + " (raw or .gz)");
        if (status.isDirectory()) {
            throw new DataException(key + " " + location + ": is a directory, but data.format = idx expects an " + what
                    + "; for <root>/<class-name>/*.png folders set data.format = folders");
        }
        return at;
    }

    private static DataInputStream open(DataFiles.Located at, String key, String location) {
        try {
            BufferedInputStream in = new BufferedInputStream(at.fs().open(at.path()), 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try {
                    return new DataInputStream(new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16));
                } catch (ZipException | EOFException e) {
                    in.close();
                    throw new DataException(key + " " + location + ": starts like a gzip file but is not a valid one ("
                            + e.getMessage() + "); re-download or decompress it", e);
                }
            }
            return new DataInputStream(in);
        } catch (IOException e) {
            throw DataFiles.failure(key, location, "cannot open it", e);
        }
    }

    /**
     * Reads and checks the magic number (0x0000 0x08 dims) and the dimension sizes.
     *
     * @param otherKey the key of the companion file, for the hint when the two are swapped
     */
    private static int[] header(DataInputStream in, String key, String location, int expectedDims, String otherKey)
            throws IOException {
        String what = expectedDims == IMAGES_DIMS ? "images" : "labels";
        int magic;
        try {
            magic = in.readInt();
        } catch (ZipException e) {
            throw new DataException(key + " " + location + ": corrupt gzip data (" + e.getMessage()
                    + "); re-download or decompress it", e);
        } catch (EOFException e) {
            throw new DataException(key + " " + location + ": too short to be an IDX file (fewer than 4 bytes)", e);
        }
        int expected = (UNSIGNED_BYTE << 8) | expectedDims;
        if (magic != expected) {
            String hint = magic == ((UNSIGNED_BYTE << 8) | (IMAGES_DIMS + LABELS_DIMS - expectedDims))
                    ? "; it looks like an IDX " + (expectedDims == IMAGES_DIMS ? "labels" : "images")
                    + " file: are " + key + " and " + otherKey + " swapped?"
                    : "; give an MNIST-style IDX " + what + " file (raw or .gz)";
            throw new DataException(key + " " + location + ": not an IDX " + what + " file: magic number "
                    + String.format("0x%08X", magic) + ", expected " + String.format("0x%08X", expected) + hint);
        }
        int[] dims = new int[expectedDims];
        try {
            for (int i = 0; i < expectedDims; i++) {
                dims[i] = in.readInt();
            }
        } catch (EOFException e) {
            throw new DataException(key + " " + location + ": IDX header is truncated (expected " + expectedDims
                    + " dimension sizes after the magic number)", e);
        }
        if (dims[0] < 0) {
            throw new DataException(key + " " + location + ": IDX header gives a negative count, " + dims[0]);
        }
        return dims;
    }

    private static boolean isGzip(DataFiles.Located at) throws IOException {
        try (InputStream in = at.fs().open(at.path())) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Label values present, as text, sorted by name like class folders, so both formats map labels alike. */
    private static List<String> sortedNames(long[] counts) {
        TreeSet<String> names = new TreeSet<>();
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] > 0) {
                names.add(Integer.toString(b));
            }
        }
        return List.copyOf(names);
    }

    private static void checkKnown(long[] counts, List<String> labelNames, ClassMap classes, String key,
                                   String location) {
        Map<String, Long> unknown = new TreeMap<>();
        for (int b = 0; b < counts.length; b++) {
            Optional<String> target = counts[b] > 0 ? classes.target(Integer.toString(b)) : Optional.empty();
            if (target.isPresent() && !labelNames.contains(target.get())) {
                unknown.merge(target.get(), counts[b], Long::sum);
            }
        }
        if (!unknown.isEmpty()) {
            throw DataException.unknownLabels(key + " " + location, "", unknown, labelNames);
        }
    }

    /**
     * Checks an IDX test set before any training, from the labels and the images file's header
     * only (no pixel is read): both files there, one label per image, every label a training
     * class, and the images' size and channels {@code shape}'s unless ingest fixes them.
     *
     * @throws DataException naming the key, the file and what is wrong
     */
    static void checkHeaders(SparkSession spark, String imagesKey, String imagesLocation, String labelsKey,
                             String labelsLocation, List<String> labelNames, ClassMap classes, ImageShape shape,
                             IngestConfig ingest) {
        Opened files = Opened.of(spark, imagesKey, imagesLocation, labelsKey, labelsLocation);
        int[] dims = files.images().dims;
        files.labels().checkSize(files.jsc(), files.conf(), dims[0] + " labels", "labels");
        long[] counts = files.labelCounts(spark.sparkContext().defaultParallelism());
        checkKnown(counts, labelNames, classes, labelsKey, labelsLocation);
        if (!ingest.resize() && (dims[1] != shape.height() || dims[2] != shape.width())) {
            throw new DataException(imagesKey + " " + imagesLocation + ": its images are " + dims[1] + "x" + dims[2]
                    + ", not " + shape.height() + "x" + shape.width() + " (data.height x data.width); set "
                    + "ingest.resize = true to resize them (bilinear), or use a test set of the training size");
        }
        if (shape.channels() != 1 && !ingest.convertChannels()) {
            throw new DataException(imagesKey + " " + imagesLocation + ": IDX images are grayscale but data.channels = "
                    + shape.channels() + "; set ingest.convertChannels = true, or data.channels = 1");
        }
    }
}
