package io.foldwise.ingest;

import static io.foldwise.ingest.IdxReaderTest.assertData;
import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.byId;
import static io.foldwise.ingest.TestImages.folders;
import static io.foldwise.ingest.TestImages.gray;
import static io.foldwise.ingest.TestImages.pixels;
import static io.foldwise.ingest.TestImages.rgb;
import static io.foldwise.ingest.TestImages.write;
import static io.foldwise.ingest.TestImages.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.FoldwiseException;
import io.foldwise.TestSpark;
import io.foldwise.config.DataConfig;
import io.foldwise.config.ImageShape;
import io.foldwise.config.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderValidationTest {
    private static final ImageShape GRAY_4X4 = new ImageShape(4, 4, 1);
    private static final IngestConfig DROP = new IngestConfig(false, false, true);
    private static final IngestConfig RESIZE = new IngestConfig(true, false, false);
    private static final IngestConfig CONVERT = new IngestConfig(false, true, false);

    @TempDir
    Path dir;

    private Path root() {
        return dir.resolve("train");
    }

    /** Two valid 4x4 gray images in each of classes a and b. */
    private Path validData() throws Exception {
        for (String id : List.of("a/1.png", "a/2.png", "b/1.png", "b/2.png")) {
            write(root().resolve(id), gray(4, 4, 50));
        }
        return root();
    }

    private LabeledImages read(ImageShape shape, IngestConfig ingest) {
        return Ingestor.readTrain(TestSpark.session(), folders(root(), null, 0, shape), ingest);
    }

    @Test
    void corruptFilesFailNamingThemUnlessDropped() throws Exception {
        validData();
        writeBytes(root().resolve("a/x.png"), "garbage, not a PNG".getBytes());
        writeBytes(root().resolve("b/empty.jpg"), new byte[0]);

        assertData(() -> read(GRAY_4X4, STRICT), "data.train " + root(), "2 of 6 files could not be decoded",
                "a/x.png", "b/empty.jpg", "ingest.dropInvalid = true");

        LabeledImages kept = read(GRAY_4X4, DROP);
        assertThat(kept.droppedFiles()).containsExactly("a/x.png", "b/empty.jpg");
        assertThat(kept.count()).isEqualTo(4);
        assertThat(kept.classCounts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 2L));
        assertThat(byId(kept.frame())).containsOnlyKeys("a/1.png", "a/2.png", "b/1.png", "b/2.png");
    }

    @Test
    void filesTheDecoderChokesOnAreReportedNotAFailedJob() throws Exception {
        validData();
        // A PNG cut off after its header and first bytes of pixel data.
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(gray(64, 64, 7), "png", png);
        writeBytes(root().resolve("a/truncated.png"), java.util.Arrays.copyOf(png.toByteArray(), 60));
        // A JPEG whose header promises a frame the file does not hold.
        byte[] jpeg = jpeg();
        writeBytes(root().resolve("b/headless.jpg"), java.util.Arrays.copyOf(jpeg, 20));
        assertThat(Pixels.decodeFile(java.util.Arrays.copyOf(png.toByteArray(), 60), Long.MAX_VALUE).problem())
                .isEqualTo(Pixels.UNREADABLE);

        assertData(() -> read(GRAY_4X4, STRICT), "2 of 6 files could not be decoded", "a/truncated.png",
                "b/headless.jpg", "ingest.dropInvalid = true");
        LabeledImages kept = read(GRAY_4X4, DROP);
        assertThat(kept.droppedFiles()).containsExactly("a/truncated.png", "b/headless.jpg");
        assertThat(kept.count()).isEqualTo(4);
    }

    @Test
    void sixteenBitGrayIsScaledNotTruncatedToItsLowByte() throws Exception {
        validData();
        java.awt.image.BufferedImage deep = new java.awt.image.BufferedImage(4, 4,
                java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                deep.getRaster().setSample(x, y, 0, 0x1234 * (x + 1));
            }
        }
        write(root().resolve("a/deep.png"), deep);
        float[] px = pixels(byId(read(GRAY_4X4, STRICT).frame()).get("a/deep.png"));
        for (int x = 0; x < 4; x++) {
            long v = 0x1234L * (x + 1);
            assertThat(px[x]).as("column " + x).isEqualTo(Math.round(v * 255.0 / 65535) / 255f, within(1e-6f));
            assertThat(px[x]).isNotEqualTo((v & 0xFF) / 255f);
        }
    }

    @Test
    void imagesAboveMaxPixelsAreRefusedFromTheirHeader() throws Exception {
        validData();
        write(root().resolve("b/huge.png"), gray(8, 8, 1));
        IngestConfig small = new IngestConfig(false, false, false, 16);
        assertData(() -> read(GRAY_4X4, small), "1 of 5 images have more than ingest.maxPixels = 16 pixels",
                "b/huge.png (8x8", "ingest.maxPixels");
        LabeledImages kept = read(GRAY_4X4, new IngestConfig(false, false, true, 16));
        assertThat(kept.droppedFiles()).containsExactly("b/huge.png");
    }

    private static byte[] jpeg() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(rgb(16, 16, 10, 20, 30), "jpeg", out);
        return out.toByteArray();
    }

    @Test
    void droppingEverythingOrAllButOneClassIsStillAnError() throws Exception {
        writeBytes(root().resolve("a/x.png"), new byte[] {1, 2, 3});
        writeBytes(root().resolve("b/y.png"), new byte[] {1, 2, 3});
        assertData(() -> read(GRAY_4X4, DROP), "data.train " + root(), "no readable images",
                "skipping 2 unreadable files");

        write(root().resolve("a/ok.png"), gray(4, 4, 0));
        // A limit that cuts nothing is not blamed.
        FoldwiseException e = IdxReaderTest.catchData(() -> Ingestor.readTrain(TestSpark.session(),
                folders(root(), null, 100, GRAY_4X4), DROP));
        assertThat(e.getMessage()).contains("only one class (a) has images", "skipping 2 unreadable files")
                .doesNotContain("data.limit");
    }

    @Test
    void wrongSizeIsRejectedNamingTheFileOrResizedBilinearly() throws Exception {
        validData();
        int[][] checker = {{0, 255}, {255, 0}};
        write(root().resolve("b/small.png"), gray(checker));

        assertData(() -> read(GRAY_4X4, STRICT), "data.train " + root(), "1 of 5 images are not 4x4",
                "b/small.png (2x2x1)", "ingest.resize = true");

        LabeledImages resized = read(GRAY_4X4, RESIZE);
        Row small = byId(resized.frame()).get("b/small.png");
        assertThat(small.<Integer>getAs(ImageSchema.HEIGHT)).isEqualTo(4);
        assertThat(small.<Integer>getAs(ImageSchema.WIDTH)).isEqualTo(4);
        float[] expected = Pixels.resizeBilinear(new float[] {0f, 1f, 1f, 0f}, 2, 2, 1, 4, 4);
        assertThat(pixels(small)).containsExactly(expected, within(1e-6f));
        // Interior pixels are interpolated, not copied: neither 0 nor 1.
        assertThat(pixels(small)[5]).isStrictlyBetween(0f, 1f);
        assertThat(resized.count()).isEqualTo(5);
    }

    @Test
    void rgbInAGrayDatasetIsRejectedOrConvertedByLuminance() throws Exception {
        validData();
        write(root().resolve("a/red.png"), rgb(4, 4, 255, 0, 0));

        assertData(() -> read(GRAY_4X4, STRICT), "1 of 5 images are RGB but data.channels = 1", "a/red.png (4x4x3)",
                "ingest.convertChannels = true");

        Row red = byId(read(GRAY_4X4, CONVERT).frame()).get("a/red.png");
        assertThat(red.<Integer>getAs(ImageSchema.CHANNELS)).isEqualTo(1);
        assertThat(pixels(red)).hasSize(16);
        for (float p : pixels(red)) {
            assertThat(p).isCloseTo(0.299f, within(1e-6f));
        }
    }

    @Test
    void grayInAnRgbDatasetIsRejectedOrReplicated() throws Exception {
        ImageShape rgb4 = new ImageShape(4, 4, 3);
        write(root().resolve("a/1.png"), rgb(4, 4, 10, 20, 30));
        write(root().resolve("b/1.png"), rgb(4, 4, 30, 20, 10));
        write(root().resolve("b/gray.png"), gray(4, 4, 100));

        assertData(() -> read(rgb4, STRICT), "images are grayscale but data.channels = 3", "b/gray.png (4x4x1)",
                "ingest.convertChannels = true");

        Row gray = byId(read(rgb4, CONVERT).frame()).get("b/gray.png");
        assertThat(gray.<Integer>getAs(ImageSchema.CHANNELS)).isEqualTo(3);
        assertThat(pixels(gray)).hasSize(48).containsOnly(100 / 255f);
    }

    @Test
    void sizeAndChannelProblemsAreReportedTogether() throws Exception {
        validData();
        write(root().resolve("a/big-rgb.png"), rgb(6, 6, 1, 2, 3));
        write(root().resolve("b/big.png"), gray(5, 5, 0));

        assertData(() -> read(GRAY_4X4, STRICT), "2 problems", "2 of 6 images are not 4x4",
                "a/big-rgb.png (6x6x3), b/big.png (5x5x1)", "1 of 6 images are RGB");

        // Both fixes at once: resize and convert.
        LabeledImages fixed = read(GRAY_4X4, new IngestConfig(true, true, false));
        Row bigRgb = byId(fixed.frame()).get("a/big-rgb.png");
        float luma = 0.299f * 1 / 255f + 0.587f * 2 / 255f + 0.114f * 3 / 255f;
        assertThat(pixels(bigRgb)).hasSize(16);
        for (float p : pixels(bigRgb)) {
            assertThat(p).isCloseTo(luma, within(1e-6f));
        }
    }

    @Test
    void missingPathOrAFileInsteadOfADirectory() throws Exception {
        Path missing = dir.resolve("no/such/dir");
        assertData(() -> Ingestor.readTrain(TestSpark.session(), folders(missing, null, 0, GRAY_4X4), STRICT),
                "data.train " + missing, "no such file or directory", "<root>/<class-name>/*.png");

        Path file = writeBytes(dir.resolve("train.gz"), new byte[] {1});
        assertData(() -> Ingestor.readTrain(TestSpark.session(), folders(file, null, 0, GRAY_4X4), STRICT),
                "data.train " + file, "is a file", "data.format = idx");
    }

    @Test
    void emptyRootHasNoClassFolders() throws Exception {
        Files.createDirectories(root());
        write(root().resolve("stray.png"), gray(4, 4, 0));
        assertData(() -> read(GRAY_4X4, STRICT), "data.train " + root(), "no class folders found",
                "<root>/<class-name>/*.png");
    }

    @Test
    void emptyClassFolderIsNamed() throws Exception {
        validData();
        writeBytes(root().resolve("c/readme.txt"), "no images here".getBytes());
        assertData(() -> read(GRAY_4X4, STRICT), "data.train " + root(), "class folder c contains no .png/.jpg/.jpeg");
    }

    @Test
    void aSingleClassIsRejected() throws Exception {
        write(root().resolve("only/1.png"), gray(4, 4, 0));
        write(root().resolve("only/2.png"), gray(4, 4, 0));
        assertData(() -> read(GRAY_4X4, STRICT), "data.train " + root(), "only one class folder (only)",
                "at least 2 classes");
    }

    @Test
    void aLimitThatKeepsOneClassIsRejectedWithTheReason() throws Exception {
        validData();
        assertData(() -> Ingestor.readTrain(TestSpark.session(), folders(root(), null, 2, GRAY_4X4), STRICT),
                "only one class (a) has images within data.limit = 2", "first 2 images by id");
    }

    @Test
    void testClassUnknownToTrainingIsNamed() throws Exception {
        validData();
        Path test = dir.resolve("test");
        write(test.resolve("a/1.png"), gray(4, 4, 0));
        write(test.resolve("zebra/1.png"), gray(4, 4, 0));
        DataConfig data = folders(root(), test, 0, GRAY_4X4);

        assertData(() -> Ingestor.readTest(TestSpark.session(), data, STRICT, List.of("a", "b")),
                "data.test " + test, "class folder zebra is not among the training classes [a, b]");
    }

    @Test
    void readTestWithoutTestDataIsAProgrammingError() throws Exception {
        DataConfig data = folders(validData(), null, 0, GRAY_4X4);
        assertThatThrownBy(() -> Ingestor.readTest(TestSpark.session(), data, STRICT, List.of("a", "b")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("data.test");
    }
}
