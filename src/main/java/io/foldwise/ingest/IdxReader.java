package io.foldwise.ingest;

import io.foldwise.config.ClassMap;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads MNIST-style IDX files (an unsigned-byte images file of n x rows x cols and a labels file
 * of n), raw or gzip-compressed. Parsed on the driver: MNIST's 60,000 images are 47 MB of bytes.
 * The rows are then parallelized and decoded on executors like any other images.
 */
final class IdxReader {
    static final int IMAGES_DIMS = 3;
    static final int LABELS_DIMS = 1;
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /**
     * @param labelNames null to derive the classes from the labels (training); otherwise the
     *                   training classes, which every label here must be one of
     * @param classes    data.classes: which labels are read and the class each becomes
     * @param limit      read only the first {@code limit} images kept by {@code classes} (0 = all)
     */
    static RawImages read(SparkSession spark, String imagesKey, String imagesLocation, String labelsKey,
                          String labelsLocation, List<String> labelNames, ClassMap classes, long limit) {
        DataFiles.Located images = locateFile(spark, imagesKey, imagesLocation, "IDX images file");
        DataFiles.Located labels = locateFile(spark, labelsKey, labelsLocation, "IDX labels file");

        byte[] labelBytes;
        try (DataInputStream in = open(labels, labelsKey, labelsLocation)) {
            int n = header(in, labelsKey, labelsLocation, LABELS_DIMS, imagesKey)[0];
            labelBytes = readFully(in, n, labelsKey, labelsLocation, n + " labels");
        } catch (IOException e) {
            throw DataFiles.failure(labelsKey, labelsLocation, "cannot read it", e);
        }

        List<String> sources = sortedNames(labelBytes);
        List<String> names;
        if (labelNames == null) {
            ClassSelection.checkKnown(classes, sources, labelsKey, labelsLocation);
            names = classes.targets(sources);
            if (sources.size() >= 2) {
                ClassSelection.checkEnough(classes, names, sources, labelsKey, labelsLocation);
            }
        } else {
            names = labelNames;
            checkKnown(labelBytes, labelNames, classes, labelsKey, labelsLocation);
        }

        List<Row> rows;
        boolean limited;
        int height;
        int width;
        try (DataInputStream in = open(images, imagesKey, imagesLocation)) {
            int[] dims = header(in, imagesKey, imagesLocation, IMAGES_DIMS, labelsKey);
            int n = dims[0];
            height = dims[1];
            width = dims[2];
            if (height < 1 || width < 1) {
                throw new DataException(imagesKey + " " + imagesLocation + ": header says images are " + height + "x"
                        + width + "; an IDX images file needs rows and columns >= 1");
            }
            if (n != labelBytes.length) {
                throw new DataException(imagesKey + " " + imagesLocation + " holds " + n + " images but "
                        + labelsKey + " " + labelsLocation + " holds " + labelBytes.length
                        + " labels; they must have one label per image (are they from the same set?)");
            }
            int count = n;
            limited = false;
            String fileName = images.path().getName();
            String uri = images.path().toUri().toString();
            String format = "%0" + Integer.toString(Math.max(n - 1, 0)).length() + "d";
            int size = height * width;
            rows = new ArrayList<>(limit > 0 ? (int) Math.min(n, limit) : n);
            for (int i = 0; i < count; i++) {
                if (limit > 0 && rows.size() == limit) {
                    limited = true;
                    break;
                }
                byte[] pixels = readFully(in, size, imagesKey, imagesLocation,
                        n + " images of " + height + "x" + width + " (the file ends in image " + i + ")");
                Optional<String> name = classes.target(Integer.toString(labelBytes[i] & 0xFF));
                if (name.isEmpty()) {
                    continue;
                }
                // Ids pad to the file's size, not the limit, so they stay the same whatever data.limit is.
                rows.add(RowFactory.create(fileName + "#" + String.format(format, i), names.indexOf(name.get()),
                        name.get(), uri, height, width, 1, pixels));
            }
        } catch (IOException e) {
            throw DataFiles.failure(imagesKey, imagesLocation, "cannot read it", e);
        }
        int slices = Math.max(1, Math.min(spark.sparkContext().defaultParallelism(), rows.size()));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return new RawImages(spark.createDataFrame(jsc.parallelize(rows, slices), RawImages.SCHEMA), names,
                imagesKey, imagesLocation, List.of(), limited);
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

    /** Opens the file, decompressing when it starts with the gzip magic bytes (whatever its name). */
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

    private static byte[] readFully(DataInputStream in, int n, String key, String location, String expected)
            throws IOException {
        byte[] bytes = new byte[n];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new DataException(key + " " + location + ": file is truncated; its header promises " + expected
                    + "; re-download it", e);
        }
        return bytes;
    }

    /** Distinct labels as text, sorted by name like class folders, so both formats map labels alike. */
    private static List<String> sortedNames(byte[] labels) {
        TreeSet<String> names = new TreeSet<>();
        for (byte b : labels) {
            names.add(Integer.toString(b & 0xFF));
        }
        return List.copyOf(names);
    }

    private static void checkKnown(byte[] labels, List<String> labelNames, ClassMap classes, String key,
                                   String location) {
        Map<String, Integer> unknown = new TreeMap<>();
        for (byte b : labels) {
            Optional<String> target = classes.target(Integer.toString(b & 0xFF));
            String name = target.orElse(null);
            if (name != null && !labelNames.contains(name)) {
                unknown.merge(name, 1, Integer::sum);
            }
        }
        if (!unknown.isEmpty()) {
            throw new DataException(key + " " + location + ": label" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.keySet()) + " (" + unknown.values().stream().mapToInt(i -> i).sum()
                    + " images) " + (unknown.size() == 1 ? "is" : "are") + " not among the training classes "
                    + labelNames + "; the model cannot predict a class it was not trained on");
        }
    }
}
