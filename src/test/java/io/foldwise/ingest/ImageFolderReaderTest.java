package io.foldwise.ingest;

import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.byId;
import static io.foldwise.ingest.TestImages.folders;
import static io.foldwise.ingest.TestImages.gray;
import static io.foldwise.ingest.TestImages.pixels;
import static io.foldwise.ingest.TestImages.rgb;
import static io.foldwise.ingest.TestImages.write;
import static io.foldwise.ingest.TestImages.writeBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.TestSpark;
import io.foldwise.config.ImageShape;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsClassFoldersSortedByNameWithRelativeIdsAndNormalisedPixels() throws Exception {
        Path root = dir.resolve("train");
        // Written out of name order: labels must follow the sorted names, not the listing.
        write(root.resolve("cat/c1.png"), gray(new int[][] {{0, 51, 102}, {153, 204, 255}}));
        write(root.resolve("ant/a1.png"), gray(2, 3, 10));
        write(root.resolve("ant/A2.PNG"), gray(2, 3, 20));
        write(root.resolve("bee/b1.JpEg"), gray(2, 3, 100));
        // Not part of the layout: other extensions, hidden files, nested folders, files at the root.
        writeBytes(root.resolve("ant/notes.txt"), "not an image".getBytes());
        write(root.resolve("ant/.hidden.png"), gray(2, 3, 0));
        write(root.resolve("ant/sub/nested.png"), gray(2, 3, 0));
        write(root.resolve("README.png"), gray(2, 3, 0));
        write(root.resolve(".git/x.png"), gray(2, 3, 0));

        LabeledImages images = Ingestor.readTrain(TestSpark.session(), folders(root, null, 0, new ImageShape(2, 3, 1)),
                STRICT);

        assertThat(images.frame().schema()).isEqualTo(ImageSchema.SCHEMA);
        assertThat(images.labelNames()).containsExactly("ant", "bee", "cat");
        assertThat(images.classCounts()).containsExactly(Map.entry("ant", 2L), Map.entry("bee", 1L),
                Map.entry("cat", 1L));
        assertThat(images.count()).isEqualTo(4);
        assertThat(images.droppedFiles()).isEmpty();

        Map<String, Row> rows = byId(images.frame());
        assertThat(rows).containsOnlyKeys("ant/A2.PNG", "ant/a1.png", "bee/b1.JpEg", "cat/c1.png");
        Row cat = rows.get("cat/c1.png");
        assertThat(cat.<Integer>getAs(ImageSchema.LABEL)).isEqualTo(2);
        assertThat(cat.<String>getAs(ImageSchema.LABEL_NAME)).isEqualTo("cat");
        assertThat(cat.<Integer>getAs(ImageSchema.HEIGHT)).isEqualTo(2);
        assertThat(cat.<Integer>getAs(ImageSchema.WIDTH)).isEqualTo(3);
        assertThat(cat.<Integer>getAs(ImageSchema.CHANNELS)).isEqualTo(1);
        assertThat(pixels(cat)).containsExactly(new float[] {0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f}, within(1e-6f));
        assertThat(Path.of(URI.create(cat.getAs(ImageSchema.PATH)))).isEqualTo(root.resolve("cat/c1.png"));
        assertThat(rows.get("ant/A2.PNG").<Integer>getAs(ImageSchema.LABEL)).isZero();
        assertThat(pixels(rows.get("ant/A2.PNG"))).containsOnly(20 / 255f);
        // JPEG is lossy, but a flat image survives within a level or two.
        assertThat(rows.get("bee/b1.JpEg").<Integer>getAs(ImageSchema.LABEL)).isEqualTo(1);
        for (float p : pixels(rows.get("bee/b1.JpEg"))) {
            assertThat(p).isCloseTo(100 / 255f, within(3 / 255f));
        }
    }

    @Test
    void rgbImagesBecomeRgbOrderedChannelLastFloatsWithoutAlpha() throws Exception {
        Path root = dir.resolve("rgb");
        // One row, two pixels: (255, 128, 0) then (10, 20, 30).
        write(root.resolve("warm/w.png"), rgb(new int[][][] {{{255, 128, 0}, {10, 20, 30}}}));
        BufferedImage withAlpha = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        withAlpha.setRGB(0, 0, (200 << 24) | (255 << 16) | (128 << 8));
        withAlpha.setRGB(1, 0, (200 << 24) | (10 << 16) | (20 << 8) | 30);
        write(root.resolve("alpha/a.png"), withAlpha);

        LabeledImages images = Ingestor.readTrain(TestSpark.session(), folders(root, null, 0, new ImageShape(1, 2, 3)),
                STRICT);

        float[] expected = {1f, 128 / 255f, 0f, 10 / 255f, 20 / 255f, 30 / 255f};
        Map<String, Row> rows = byId(images.frame());
        assertThat(pixels(rows.get("warm/w.png"))).containsExactly(expected, within(1e-6f));
        assertThat(pixels(rows.get("alpha/a.png"))).containsExactly(expected, within(1e-6f));
        assertThat(rows.get("alpha/a.png").<Integer>getAs(ImageSchema.CHANNELS)).isEqualTo(3);
    }

    @Test
    void folderNamesWithSpacesAndGlobCharactersAreReadLiterally() throws Exception {
        Path root = dir.resolve("odd root [v1]");
        write(root.resolve("class a/x 1.png"), gray(2, 2, 10));
        write(root.resolve("b{1,2}/y*.png"), gray(2, 2, 20));

        LabeledImages images = Ingestor.readTrain(TestSpark.session(), folders(root, null, 0, new ImageShape(2, 2, 1)),
                STRICT);

        assertThat(images.labelNames()).containsExactly("b{1,2}", "class a");
        Map<String, Row> rows = byId(images.frame());
        assertThat(rows).containsOnlyKeys("class a/x 1.png", "b{1,2}/y*.png");
        assertThat(pixels(rows.get("class a/x 1.png"))).containsOnly(10 / 255f);
        assertThat(Path.of(URI.create(rows.get("b{1,2}/y*.png").getAs(ImageSchema.PATH))))
                .isEqualTo(root.resolve("b{1,2}/y*.png"));
    }

    @Test
    void testDataUsesTheTrainingMappingAndMayLackClasses() throws Exception {
        Path train = dir.resolve("train");
        Path test = dir.resolve("test");
        for (String c : List.of("a", "b", "c")) {
            write(train.resolve(c + "/1.png"), gray(2, 2, 0));
        }
        write(test.resolve("c/9.png"), gray(2, 2, 0));
        write(test.resolve("c/8.png"), gray(2, 2, 0));
        ImageShape shape = new ImageShape(2, 2, 1);

        LabeledImages trained = Ingestor.readTrain(TestSpark.session(), folders(train, test, 0, shape), STRICT);
        LabeledImages tested = Ingestor.readTest(TestSpark.session(), folders(train, test, 0, shape), STRICT,
                trained.labelNames());

        assertThat(tested.labelNames()).containsExactly("a", "b", "c");
        assertThat(tested.classCounts()).containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 2L));
        assertThat(tested.frame().collectAsList()).allSatisfy(r -> assertThat(r.<Integer>getAs("label")).isEqualTo(2));
    }

    @Test
    void limitKeepsTheFirstImagesByIdAndKeepsTheLabelMapping() throws Exception {
        Path root = dir.resolve("limited");
        for (String id : List.of("a/3.png", "a/1.png", "b/2.png", "b/0.png", "c/5.png")) {
            write(root.resolve(id), gray(2, 2, 0));
        }

        LabeledImages images = Ingestor.readTrain(TestSpark.session(), folders(root, null, 3, new ImageShape(2, 2, 1)),
                STRICT);

        assertThat(byId(images.frame())).containsOnlyKeys("a/1.png", "a/3.png", "b/0.png");
        assertThat(images.labelNames()).containsExactly("a", "b", "c");
        assertThat(images.classCounts()).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L), Map.entry("c", 0L));
        // The first N are chosen on the id column alone: the top-N never carries pixel rows.
        String plan = images.frame().queryExecution().executedPlan().toString();
        List<String> topN = plan.lines().filter(l -> l.contains("TakeOrderedAndProject") || l.contains("Limit"))
                .toList();
        assertThat(topN).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain("pixels"));
        assertThat(images.fingerprint()).isEqualTo(Fingerprint.of(images.frame()));
    }
}
