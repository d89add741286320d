package io.foldwise.ingest;

import static org.apache.spark.sql.functions.col;

import io.foldwise.config.ClassMap;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads {@code <root>/<class-name>/*.{png,jpg,jpeg}} with Spark's {@code image} data source. Class
 * folders are listed on the driver (Hadoop FileSystem API) so that a bad layout fails before any
 * image is decoded; decoding happens on executors.
 */
final class ImageFolderReader {
    static final String EXPECTED = "expected <root>/<class-name>/*.png|jpg|jpeg";
    /** Case-insensitive extensions as a Hadoop glob (Spark's pathGlobFilter). */
    static final String IMAGE_GLOB = "*.{[pP][nN][gG],[jJ][pP][gG],[jJ][pP][eE][gG]}";

    private ImageFolderReader() {
    }

    /**
     * @param labelNames null to derive the classes from the folders (training); otherwise the
     *                   training classes, which every class folder here must become one of
     * @param classes    data.classes: which folders are read and the class each becomes
     */
    static RawImages read(SparkSession spark, String key, String location, List<String> labelNames,
                          ClassMap classes) {
        Layout layout = layout(spark, key, location, labelNames, classes);
        List<FileStatus> classDirs = layout.classDirs();
        List<String> names = layout.names();
        Map<String, Integer> labelOfDir = new HashMap<>();
        Map<String, String> classOfDir = new HashMap<>();
        String[] paths = new String[classDirs.size()];
        for (int i = 0; i < classDirs.size(); i++) {
            Path dir = classDirs.get(i).getPath();
            String target = classes.target(dir.getName()).orElseThrow();
            labelOfDir.put(dirKey(dir), names.indexOf(target));
            classOfDir.put(dirKey(dir), target);
            paths[i] = escapeGlob(dir.toString());
        }
        return new RawImages(load(spark, paths, new FolderFiles(labelOfDir, classOfDir, false)), names, key, location,
                layout.zeroLength(), false, false);
    }

    /** The class folders data.classes keeps, the class names and the data set's zero-length files. */
    record Layout(List<FileStatus> classDirs, List<String> names, List<String> zeroLength) {
    }

    /**
     * Checks a folder data set from its listing alone (no image is opened): the path, the class
     * folders, that each kept one holds images and, with {@code labelNames}, that every class it
     * becomes under {@code classes} is one of them.
     *
     * @throws DataException naming {@code key}, the location and what is wrong
     */
    static Layout layout(SparkSession spark, String key, String location, List<String> labelNames,
                         ClassMap classes) {
        DataFiles.Located root = DataFiles.locate(spark, key, location);
        FileStatus rootStatus = DataFiles.status(root, key, location,
                "point " + key + " at a directory of class folders, " + EXPECTED);
        if (!rootStatus.isDirectory()) {
            throw new DataException(key + " " + location + ": is a file, but data.format = folders expects a directory ("
                    + EXPECTED + "); for MNIST-style IDX files set data.format = idx");
        }
        List<FileStatus> allDirs = classFolders(root, key, location);
        if (allDirs.isEmpty()) {
            throw new DataException(key + " " + location + ": no class folders found; " + EXPECTED);
        }
        List<String> sources = allDirs.stream().map(s -> s.getPath().getName()).toList();
        if (labelNames == null) {
            ClassSelection.checkKnown(classes, sources, key, location);
        }
        List<FileStatus> classDirs = allDirs.stream()
                .filter(d -> classes.target(d.getPath().getName()).isPresent()).toList();
        List<String> found = classes.targets(sources);
        List<String> empty = new ArrayList<>();
        List<String> zeroLength = new ArrayList<>();
        for (FileStatus dir : classDirs) {
            if (!scanClassFolder(root, dir.getPath(), key, location, zeroLength, dir.getPath().getName() + "/")) {
                empty.add(dir.getPath().getName());
            }
        }
        if (!empty.isEmpty()) {
            throw new DataException(key + " " + location + ": class folder" + (empty.size() == 1 ? " " : "s ")
                    + String.join(", ", empty) + " contain" + (empty.size() == 1 ? "s" : "")
                    + " no .png/.jpg/.jpeg files; add images to " + (empty.size() == 1 ? "it" : "them")
                    + " or remove " + (empty.size() == 1 ? "it" : "them") + " (" + EXPECTED + ")");
        }
        List<String> names;
        if (labelNames == null) {
            if (sources.size() < 2) {
                throw new DataException(key + " " + location + ": only one class folder (" + sources.get(0)
                        + ") found; classification needs at least 2 classes, one folder per class ("
                        + EXPECTED + ")");
            }
            ClassSelection.checkEnough(classes, found, sources, key, location);
            names = found;
        } else {
            Set<String> unknown = new TreeSet<>(found);
            unknown.removeAll(labelNames);
            if (!unknown.isEmpty()) {
                throw new DataException(key + " " + location + ": class folder" + (unknown.size() == 1 ? " " : "s ")
                        + String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are")
                        + " not among the training classes " + labelNames
                        + "; the model cannot predict a class it was not trained on, so remove or rename "
                        + (unknown.size() == 1 ? "it" : "them"));
            }
            names = labelNames;
        }
        return new Layout(classDirs, names, zeroLength);
    }

    /**
     * Checks the first {@code perClass} images (by name) of every class folder of {@code layout}
     * against the configured shape from their headers alone (no pixel is decoded): another height x
     * width without {@code ingest.resize}, or gray against RGB without {@code ingest.convertChannels},
     * is refused naming the files. Files whose header cannot be read are left to decoding (which
     * names them, or skips them with {@code ingest.dropInvalid}).
     *
     * @throws DataException naming {@code key}, the files, their size or channels, and the fixes
     */
    static void checkHeaders(String key, String location, Layout layout, io.foldwise.config.ImageShape shape,
                             io.foldwise.config.IngestConfig ingest, int perClass, org.apache.hadoop.fs.FileSystem fs) {
        List<String> wrongSize = new ArrayList<>();
        List<String> wrongChannels = new ArrayList<>();
        for (FileStatus dir : layout.classDirs()) {
            List<Path> files = new ArrayList<>();
            try {
                for (FileStatus s : fs.listStatus(dir.getPath())) {
                    if (s.isFile() && s.getLen() > 0 && !DataFiles.hidden(s.getPath().getName())
                            && isImageName(s.getPath().getName())) {
                        files.add(s.getPath());
                    }
                }
            } catch (IOException e) {
                throw DataFiles.failure(key, location, "cannot list class folder " + dir.getPath().getName(), e);
            }
            files.sort(null);
            for (Path file : files.subList(0, Math.min(perClass, files.size()))) {
                int[] header = header(fs, file);
                if (header == null) {
                    continue;
                }
                String name = dir.getPath().getName() + "/" + file.getName();
                if (!ingest.resize() && (header[0] != shape.height() || header[1] != shape.width())) {
                    wrongSize.add(name + " (" + header[0] + "x" + header[1] + ")");
                }
                if (!ingest.convertChannels() && header[2] != shape.channels()) {
                    wrongChannels.add(name + " (" + (header[2] == 1 ? "grayscale" : "RGB") + ")");
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (!wrongSize.isEmpty()) {
            problems.add("images are not " + shape.height() + "x" + shape.width() + " (data.height x data.width, "
                    + "the training size): " + String.join(", ", wrongSize) + "; set ingest.resize = true to "
                    + "resize them (bilinear), or use a test set of the training size");
        }
        if (!wrongChannels.isEmpty()) {
            problems.add("images are not of data.channels = " + shape.channels() + ": "
                    + String.join(", ", wrongChannels) + "; set ingest.convertChannels = true to convert them, or "
                    + "use a test set with the training images' channels");
        }
        if (!problems.isEmpty()) {
            throw new DataException(key + " " + location + ": checked before training, from the headers of the first "
                    + perClass + " images of each class folder: " + String.join("; ", problems));
        }
    }

    /** Height, width and channels (1 gray, 3 otherwise: alpha is dropped) from a file's header; null if unreadable. */
    private static int[] header(org.apache.hadoop.fs.FileSystem fs, Path file) {
        javax.imageio.ImageReader reader = null;
        try (java.io.InputStream raw = fs.open(file);
             javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(raw)) {
            Iterator<javax.imageio.ImageReader> readers = in == null ? Collections.emptyIterator()
                    : javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            reader = readers.next();
            reader.setInput(in, true, true);
            javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
            if (type == null) {
                return null;
            }
            boolean gray = type.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
            return new int[] {reader.getHeight(0), reader.getWidth(0), gray ? 1 : 3};
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /**
     * Reads {@code <root>/*.{png,jpg,jpeg}}, images without class folders (to predict): every row
     * gets label 0, which means nothing, an empty label name, and its file name as id.
     *
     * @param labelNames the training classes, kept as the label mapping
     */
    static RawImages readFlat(SparkSession spark, String key, String location, List<String> labelNames) {
        DataFiles.Located root = DataFiles.locate(spark, key, location);
        List<String> zeroLength = new ArrayList<>();
        if (!scanClassFolder(root, root.path(), key, location, zeroLength, "")) {
            throw new DataException(key + " " + location + ": holds neither .png/.jpg/.jpeg files nor class folders; "
                    + "point it at a folder of images, or " + EXPECTED);
        }
        Dataset<Row> rows = load(spark, new String[] {escapeGlob(root.path().toString())},
                new FolderFiles(Map.of(dirKey(root.path()), 0), Map.of(dirKey(root.path()), ""), true));
        return new RawImages(rows, labelNames, key, location, zeroLength, false, false);
    }

    /** Whether {@code location} is a directory with class folders (else its images have no labels). */
    static boolean hasClassFolders(SparkSession spark, String key, String location) {
        return !classFolders(DataFiles.locate(spark, key, location), key, location).isEmpty();
    }

    /**
     * The files as bytes, decoded later by {@link ToImageRow}. Not Spark's image source: its decoder
     * lets an {@code IIOException} (a truncated PNG, a CMYK JPEG) fail the whole job, truncates
     * 16-bit samples to their low byte, and decodes any size.
     */
    private static Dataset<Row> load(SparkSession spark, String[] paths, FolderFiles files) {
        Dataset<Row> images = spark.read().format("binaryFile")
                // Lists nested folders without treating them as partitions; FolderFiles drops their files.
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", IMAGE_GLOB)
                .load(paths);
        return images.select(col("path"), col("content")).flatMap(files, Encoders.row(RawImages.SCHEMA));
    }

    /** Sub-directories of the root, except hidden ones, sorted by name. */
    private static List<FileStatus> classFolders(DataFiles.Located root, String key, String location) {
        try {
            List<FileStatus> dirs = new ArrayList<>();
            for (FileStatus s : root.fs().listStatus(root.path())) {
                if (s.isDirectory() && !DataFiles.hidden(s.getPath().getName())) {
                    dirs.add(s);
                }
            }
            dirs.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            return Collections.unmodifiableList(dirs);
        } catch (IOException e) {
            throw DataFiles.failure(key, location, "cannot list its class folders", e);
        }
    }

    /**
     * Whether a class folder directly holds image files. Adds the ids of zero-length ones to
     * {@code zeroLength}: Spark's file sources skip empty files silently, so they would otherwise
     * vanish instead of being reported as unreadable.
     */
    private static boolean scanClassFolder(DataFiles.Located root, Path dir, String key, String location,
                                           List<String> zeroLength, String idPrefix) {
        try {
            boolean any = false;
            RemoteIterator<FileStatus> it = root.fs().listStatusIterator(dir);
            while (it.hasNext()) {
                FileStatus s = it.next();
                String name = s.getPath().getName();
                if (s.isFile() && !DataFiles.hidden(name) && isImageName(name)) {
                    any = true;
                    if (s.getLen() == 0) {
                        zeroLength.add(idPrefix + name);
                    }
                }
            }
            return any;
        } catch (IOException e) {
            throw DataFiles.failure(key, location, "cannot list class folder " + dir.getName(), e);
        }
    }

    /**
     * Compares folders by scheme, authority and decoded path: the listing says {@code file:///x}
     * where a parent of Spark's origin says {@code file:/x}.
     */
    static String dirKey(Path dir) {
        URI uri = dir.toUri();
        return uri.getScheme() + "://" + (uri.getAuthority() == null ? "" : uri.getAuthority()) + uri.getPath();
    }

    static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg");
    }

    /** Spark globs any path with glob characters; escape them so a folder named "a[1]" is read literally. */
    static String escapeGlob(String path) {
        StringBuilder b = new StringBuilder(path.length());
        for (char ch : path.toCharArray()) {
            if ("{}[]*?\\".indexOf(ch) >= 0) {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /**
     * Executor side: turns a file (path, bytes) into an undecoded {@link RawImages} row, deriving id and label
     * from the file's class folder. Files in nested folders are not part of the layout and are dropped.
     * In a flat folder (no classes) the id is the file name and the label name is empty.
     */
    static final class FolderFiles implements FlatMapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, Integer> labelOfDir;
        private final HashMap<String, String> classOfDir;
        private final boolean flat;

        FolderFiles(Map<String, Integer> labelOfDir, Map<String, String> classOfDir, boolean flat) {
            this.labelOfDir = new HashMap<>(labelOfDir);
            this.classOfDir = new HashMap<>(classOfDir);
            this.flat = flat;
        }

        @Override
        public Iterator<Row> call(Row image) {
            String origin = image.getString(0);
            // The binary file source gives the path as written (not URL-encoded): spaces and glob
            // characters stay literal. Rows carry it as a URI, as the image source's origin was.
            Path file = new Path(origin);
            Path dir = file.getParent();
            Integer label = dir == null ? null : labelOfDir.get(dirKey(dir));
            if (label == null) {
                return Collections.emptyIterator();
            }
            byte[] content = (byte[]) image.get(1);
            if (content == null || content.length == 0) {
                return Collections.emptyIterator(); // reported from the listing (RawImages.emptyFiles)
            }
            String className = flat ? "" : classOfDir.get(dirKey(dir));
            // The id keeps the source folder, so merged classes cannot collide.
            String id = flat ? file.getName() : dir.getName() + "/" + file.getName();
            return Collections.singletonList(RowFactory.create(id, label, className, file.toUri().toString(), 0, 0,
                    ToImageRow.ENCODED, content)).iterator();
        }
    }
}
