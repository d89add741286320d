package io.foldwise.ingest;

import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.byId;
import static io.foldwise.ingest.TestImages.folders;
import static io.foldwise.ingest.TestImages.gray;
import static io.foldwise.ingest.TestImages.idx;
import static io.foldwise.ingest.TestImages.idxImages;
import static io.foldwise.ingest.TestImages.idxLabels;
import static io.foldwise.ingest.TestImages.pixels;
import static io.foldwise.ingest.TestImages.write;
import static io.foldwise.ingest.TestImages.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final ImageShape SHAPE = new ImageShape(2, 3, 1);

    @TempDir
    Path dir;

    /** Image i is filled with value 10 * (i + 1), except image 0 which counts 0, 51, ..., 255. */
    private static byte[] pixelBytes(int n) {
        byte[] b = new byte[n * 6];
        for (int i = 0; i < n; i++) {
            Arrays.fill(b, i * 6, i * 6 + 6, (byte) (10 * (i + 1)));
        }
        for (int j = 0; j < 6; j++) {
            b[j] = (byte) (51 * j);
        }
        return b;
    }

    @Test
    void readsGzipAndRawIdxIntoTheImageSchema() throws Exception {
        // 12 images so that ids pad to two digits; labels deliberately unsorted.
        byte[] labels = {7, 3, 7, 5, 3, 3, 7, 5, 7, 3, 5, 7};
        // Gzip detection must not rely on the name: the gzip file has no .gz and the raw one has.
        Path images = idxImages(dir.resolve("imgs-idx3-ubyte"), 12, 2, 3, pixelBytes(12), true);
        Path labelFile = idxLabels(dir.resolve("labels.gz"), labels, false);

        LabeledImages read = Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 0, SHAPE),
                STRICT);

        assertThat(read.frame().schema()).isEqualTo(ImageSchema.SCHEMA);
        assertThat(read.labelNames()).containsExactly("3", "5", "7");
        assertThat(read.classCounts()).containsExactly(Map.entry("3", 4L), Map.entry("5", 3L), Map.entry("7", 5L));
        Map<String, Row> rows = byId(read.frame());
        assertThat(rows).hasSize(12).containsKeys("imgs-idx3-ubyte#00", "imgs-idx3-ubyte#11");
        Row first = rows.get("imgs-idx3-ubyte#00");
        assertThat(first.<String>getAs(ImageSchema.LABEL_NAME)).isEqualTo("7");
        assertThat(first.<Integer>getAs(ImageSchema.LABEL)).isEqualTo(2);
        assertThat(first.<Integer>getAs(ImageSchema.HEIGHT)).isEqualTo(2);
        assertThat(first.<Integer>getAs(ImageSchema.WIDTH)).isEqualTo(3);
        assertThat(first.<Integer>getAs(ImageSchema.CHANNELS)).isEqualTo(1);
        assertThat(pixels(first)).containsExactly(new float[] {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f}, within(1e-6f));
        assertThat(Path.of(URI.create(first.getAs(ImageSchema.PATH)))).isEqualTo(images);
        Row second = rows.get("imgs-idx3-ubyte#01");
        assertThat(second.<Integer>getAs(ImageSchema.LABEL)).isZero();
        assertThat(pixels(second)).containsOnly(20 / 255f);
    }

    @Test
    void idxAndFoldersOfTheSameImagesAgree() throws Exception {
        byte[] labels = {1, 0, 1, 2};
        byte[] bytes = pixelBytes(4);
        Path images = idxImages(dir.resolve("idx/images"), 4, 2, 3, bytes, false);
        Path labelFile = idxLabels(dir.resolve("idx/labels"), labels, true);
        Path root = dir.resolve("png");
        for (int i = 0; i < 4; i++) {
            int[][] v = new int[2][3];
            for (int j = 0; j < 6; j++) {
                v[j / 3][j % 3] = bytes[i * 6 + j] & 0xFF;
            }
            write(root.resolve(labels[i] + "/" + i + ".png"), gray(v));
        }

        LabeledImages fromIdx = Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 0, SHAPE),
                STRICT);
        LabeledImages fromPng = Ingestor.readTrain(TestSpark.session(), folders(root, null, 0, SHAPE), STRICT);

        assertThat(fromIdx.frame().schema()).isEqualTo(fromPng.frame().schema());
        assertThat(fromIdx.labelNames()).isEqualTo(fromPng.labelNames());
        assertThat(fromIdx.classCounts()).isEqualTo(fromPng.classCounts());
        Map<String, Row> idxRows = byId(fromIdx.frame());
        Map<String, Row> pngRows = byId(fromPng.frame());
        for (int i = 0; i < 4; i++) {
            Row a = idxRows.get("images#" + i);
            Row b = pngRows.get(labels[i] + "/" + i + ".png");
            assertThat(a.<Integer>getAs(ImageSchema.LABEL)).isEqualTo(b.<Integer>getAs(ImageSchema.LABEL));
            assertThat(pixels(a)).containsExactly(pixels(b));
        }
    }

    @Test
    void limitTakesTheFirstImagesInTheFileWithUnchangedIds() throws Exception {
        byte[] labels = {0, 1, 0, 1, 2, 2, 2, 2, 2, 2, 2};
        Path images = idxImages(dir.resolve("images"), 11, 2, 3, pixelBytes(11), false);
        Path labelFile = idxLabels(dir.resolve("labels"), labels, false);

        LabeledImages read = Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 3, SHAPE),
                STRICT);

        assertThat(byId(read.frame())).containsOnlyKeys("images#00", "images#01", "images#02");
        assertThat(read.labelNames()).containsExactly("0", "1", "2");
        assertThat(read.classCounts()).containsExactly(Map.entry("0", 2L), Map.entry("1", 1L), Map.entry("2", 0L));
    }

    @Test
    void testLabelsMapThroughTheTrainingNames() throws Exception {
        Path images = idxImages(dir.resolve("test-images"), 3, 2, 3, pixelBytes(3), false);
        Path labelFile = idxLabels(dir.resolve("test-labels"), new byte[] {9, 4, 9}, false);
        Path unused = dir.resolve("unused");

        LabeledImages read = Ingestor.readTest(TestSpark.session(), idx(unused, unused, images, labelFile, 0, SHAPE),
                STRICT, List.of("1", "4", "9"));

        assertThat(read.labelNames()).containsExactly("1", "4", "9");
        assertThat(read.classCounts()).containsExactly(Map.entry("1", 0L), Map.entry("4", 1L), Map.entry("9", 2L));
        assertThat(byId(read.frame()).get("test-images#0").<Integer>getAs(ImageSchema.LABEL)).isEqualTo(2);
    }

    @Test
    void testLabelUnknownToTrainingIsNamed() throws Exception {
        Path images = idxImages(dir.resolve("test-images"), 3, 2, 3, pixelBytes(3), false);
        Path labelFile = idxLabels(dir.resolve("test-labels"), new byte[] {9, 4, 8}, false);

        assertData(() -> Ingestor.readTest(TestSpark.session(), idx(images, labelFile, images, labelFile, 0, SHAPE),
                STRICT, List.of("4", "9")), "data.testLabels", labelFile.toString(), "label 8", "[4, 9]");
    }

    @Test
    void mismatchedCountsNameBothFiles() throws Exception {
        Path images = idxImages(dir.resolve("images.gz"), 3, 2, 3, pixelBytes(3), true);
        Path labelFile = idxLabels(dir.resolve("labels.gz"), new byte[] {0, 1}, true);

        assertData(() -> readTrain(images, labelFile), "data.train", images.toString(), "3 images",
                "data.trainLabels", labelFile.toString(), "2 labels");
    }

    @Test
    void theTestSetHeaderCheckOpensAndChecksThePairLikeTheReader() throws Exception {
        Path unused = dir.resolve("unused");
        Path images = idxImages(dir.resolve("test-images.gz"), 3, 2, 3, pixelBytes(3), true);
        Path twoLabels = idxLabels(dir.resolve("test-labels"), new byte[] {0, 1}, false);
        String[] mismatch = {"data.test " + images, "holds 3 images", "data.testLabels " + twoLabels, "2 labels",
            "one label per image"};
        assertData(() -> Ingestor.checkTest(TestSpark.session(), idx(unused, unused, images, twoLabels, 0, SHAPE),
                STRICT, List.of("0", "1")), mismatch);
        assertData(() -> Ingestor.readTest(TestSpark.session(), idx(unused, unused, images, twoLabels, 0, SHAPE),
                STRICT, List.of("0", "1")), mismatch);

        // A header of 0-column images: both refuse it as such (not as a shape that ingest.resize could fix).
        Path flat = idxImages(dir.resolve("flat-images"), 2, 2, 0, new byte[0], false);
        Path labels = idxLabels(dir.resolve("flat-labels"), new byte[] {0, 1}, false);
        for (Runnable check : List.<Runnable>of(
                () -> Ingestor.checkTest(TestSpark.session(), idx(unused, unused, flat, labels, 0, SHAPE),
                        new IngestConfig(true, false, false), List.of("0", "1")),
                () -> readTrain(flat, labels))) {
            assertData(check, flat.toString(), "header says images are 2x0", "rows and columns >= 1");
        }
    }

    @Test
    void badMagicNumbersAreRejected() throws Exception {
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[] {0, 1}, false);
        Path notIdx = writeBytes(dir.resolve("notes.idx"), "hello, this is not IDX".getBytes());
        assertData(() -> readTrain(notIdx, labelFile), "data.train", notIdx.toString(), "not an IDX images file",
                "0x00000803");

        // Swapped files get a hint rather than just a number (the labels file is read first).
        Path images = idxImages(dir.resolve("images"), 2, 2, 3, pixelBytes(2), false);
        assertData(() -> readTrain(labelFile, images), "data.trainLabels " + images, "looks like an IDX images file",
                "swapped");

        Path tiny = writeBytes(dir.resolve("tiny"), new byte[] {0, 0});
        assertData(() -> readTrain(images, tiny), "data.trainLabels", tiny.toString(), "too short");
    }

    @Test
    void truncatedFilesAndBrokenGzipAreRejected() throws Exception {
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[] {0, 1, 0}, false);
        Path images = idxImages(dir.resolve("images"), 3, 2, 3, Arrays.copyOf(pixelBytes(3), 14), false);
        assertData(() -> readTrain(images, labelFile), "data.train", images.toString(), "truncated", "3 images of 2x3");

        Path gz = idxImages(dir.resolve("images.gz"), 3, 2, 3, pixelBytes(3), true);
        byte[] bytes = Files.readAllBytes(gz);
        Path broken = writeBytes(dir.resolve("broken.gz"), Arrays.copyOf(bytes, 12));
        FoldwiseException e = catchData(() -> readTrain(broken, labelFile));
        assertThat(e.getMessage()).contains("data.train", broken.toString());
    }

    @Test
    void pathsMustBeFiles() throws Exception {
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[] {0, 1}, false);
        assertData(() -> readTrain(dir, labelFile), "data.train", dir.toString(), "is a directory", "data.format");
        Path missing = dir.resolve("nope.gz");
        assertData(() -> readTrain(missing, labelFile), "data.train", missing.toString(), "no such file");
    }

    @Test
    void aSingleLabelIsRejectedForTraining() throws Exception {
        Path images = idxImages(dir.resolve("images"), 3, 2, 3, pixelBytes(3), false);
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[] {5, 5, 5}, false);
        assertData(() -> readTrain(images, labelFile), "data.train", images.toString(), "only one class (5)",
                "at least 2 classes");

        Path twoClasses = idxLabels(dir.resolve("labels2"), new byte[] {5, 5, 6}, false);
        assertData(() -> Ingestor.readTrain(TestSpark.session(), idx(images, twoClasses, null, null, 2, SHAPE), STRICT),
                "only one class (5) has images within data.limit = 2", "the first 2 images in the file");
    }

    @Test
    void filesWithNoImagesAreRejected() throws Exception {
        Path images = idxImages(dir.resolve("images"), 0, 2, 3, new byte[0], false);
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[0], true);
        assertData(() -> readTrain(images, labelFile), "data.train " + images, "holds no images");
    }

    @Test
    void shapeChecksApplyToIdxToo() throws Exception {
        Path images = idxImages(dir.resolve("images"), 2, 2, 3, pixelBytes(2), false);
        Path labelFile = idxLabels(dir.resolve("labels"), new byte[] {0, 1}, false);
        ImageShape bigger = new ImageShape(4, 6, 1);
        assertData(() -> Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 0, bigger), STRICT),
                "images#0 (2x3x1)", "ingest.resize");

        LabeledImages resized = Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 0, bigger),
                new IngestConfig(true, false, false));
        Row second = byId(resized.frame()).get("images#1");
        assertThat(second.<Integer>getAs(ImageSchema.HEIGHT)).isEqualTo(4);
        assertThat(pixels(second)).hasSize(24).containsOnly(20 / 255f);
    }

    @Test
    void aHeaderClaimingMoreImagesThanTheFileHoldsIsRefusedBeforeAnyAllocationOfThatSize() throws Exception {
        // 2^31-1 images of 28x28 would be 1.6 TB: reading or allocating by the header would not return.
        int claimed = Integer.MAX_VALUE;
        byte[] threeImages = new byte[3 * 28 * 28];
        for (boolean gzip : new boolean[] {false, true}) {
            Path images = idxImages(dir.resolve("huge-images" + (gzip ? ".gz" : "")), claimed, 28, 28, threeImages,
                    gzip);
            Path labelFile = idxLabelsClaiming(dir.resolve("huge-labels" + (gzip ? ".gz" : "")), claimed,
                    new byte[] {0, 1, 2}, gzip);
            assertData(() -> Ingestor.readTrain(TestSpark.session(), idx(images, labelFile, null, null, 0,
                            new ImageShape(28, 28, 1)), STRICT),
                    "data.train " + images, "truncated", claimed + " images of 28x28", "holds 3 images",
                    gzip ? "bytes decompressed" : (16 + threeImages.length) + " bytes");
        }
    }

    @Test
    void rawAndGzipFilesAreReadInSeveralTasksAsTheSameRows() throws Exception {
        int n = 1000;
        byte[] pixels = new byte[n * 2 * 3];
        byte[] labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 31);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 7);
        }
        Path raw = idxImages(dir.resolve("many"), n, 2, 3, pixels, false);
        Path rawLabels = idxLabels(dir.resolve("many-labels"), labels, false);
        Path gz = idxImages(dir.resolve("many.gz"), n, 2, 3, pixels, true);
        Path gzLabels = idxLabels(dir.resolve("many-labels.gz"), labels, true);
        RawImages fromRaw = IdxReader.read(TestSpark.session(), "data.train", raw.toString(), "data.trainLabels",
                rawLabels.toString(), null, io.foldwise.config.ClassMap.ALL, 0);
        RawImages fromGz = IdxReader.read(TestSpark.session(), "data.train", gz.toString(), "data.trainLabels",
                gzLabels.toString(), null, io.foldwise.config.ClassMap.ALL, 0);
        assertThat(fromRaw.rows().rdd().getNumPartitions()).isGreaterThan(1);
        assertThat(fromGz.rows().rdd().getNumPartitions()).isGreaterThan(1);
        assertThat(fromRaw.labelNames()).containsExactly("0", "1", "2", "3", "4", "5", "6");
        List<Row> a = fromRaw.rows().orderBy("id").collectAsList();
        List<Row> b = fromGz.rows().orderBy("id").collectAsList();
        assertThat(a).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(a.get(i).getString(0)).isEqualTo(String.format("many#%03d", i));
            assertThat(a.get(i).getString(2)).isEqualTo(Integer.toString(i % 7));
            assertThat((byte[]) a.get(i).get(7)).isEqualTo(Arrays.copyOfRange(pixels, i * 6, i * 6 + 6));
            assertThat(b.get(i).getString(0)).isEqualTo(String.format("many.gz#%03d", i));
            assertThat(b.get(i).getInt(1)).isEqualTo(a.get(i).getInt(1));
            assertThat((byte[]) b.get(i).get(7)).isEqualTo((byte[]) a.get(i).get(7));
        }
    }

    /** A labels file whose header claims {@code claimed} labels, followed by {@code labels}. */
    private static Path idxLabelsClaiming(Path file, int claimed, byte[] labels, boolean gzip) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(claimed);
        out.write(labels);
        Files.createDirectories(file.getParent());
        try (java.io.OutputStream o = gzip ? new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            o.write(bytes.toByteArray());
        }
        return file;
    }

    private LabeledImages readTrain(Path images, Path labels) {
        return Ingestor.readTrain(TestSpark.session(), idx(images, labels, null, null, 0, SHAPE), STRICT);
    }

    static FoldwiseException catchData(Runnable read) {
        List<FoldwiseException> caught = new ArrayList<>();
        assertThatThrownBy(read::run).isInstanceOf(DataException.class).satisfies(e -> caught.add((FoldwiseException) e));
        FoldwiseException e = caught.get(0);
        assertThat(e.exitCode()).isEqualTo(3);
        return e;
    }

    /** Asserts a DataException with exit code 3 whose message contains every part. */
    static void assertData(Runnable read, String... parts) {
        assertThat(catchData(read).getMessage()).contains(parts);
    }
}
