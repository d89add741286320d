package io.foldwise.ingest;

import static io.foldwise.ingest.TestImages.STRICT;
import static io.foldwise.ingest.TestImages.folders;
import static io.foldwise.ingest.TestImages.gray;
import static io.foldwise.ingest.TestImages.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import io.foldwise.config.ImageShape;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTest {
    private static final ImageShape SHAPE = new ImageShape(3, 3, 1);

    @TempDir
    Path dir;

    /** Six distinct 3x3 images in classes a and b under {@code root}; image 0 has {@code corner} at (0, 0). */
    private static Path dataset(Path root, int corner) throws Exception {
        for (int i = 0; i < 6; i++) {
            int[][] v = {{i * 10, 1, 2}, {3, 4, 5}, {6, 7, 8 + i}};
            if (i == 0) {
                v[0][0] = corner;
            }
            write(root.resolve((i % 2 == 0 ? "a/" : "b/") + i + ".png"), gray(v));
        }
        return root;
    }

    private static LabeledImages read(Path root) {
        return Ingestor.readTrain(TestSpark.session(), folders(root, null, 0, SHAPE), STRICT);
    }

    @Test
    void sameDataGivesTheSameFingerprintWhateverTheOrderPartitioningOrLocation() throws Exception {
        LabeledImages images = read(dataset(dir.resolve("one"), 0));
        Dataset<Row> frame = images.frame();

        assertThat(images.fingerprint()).matches("[0-9a-f]{32}");
        // The reader's fused aggregation and the standalone one agree.
        assertThat(Fingerprint.of(frame)).isEqualTo(images.fingerprint());
        assertThat(Fingerprint.of(frame.repartition(5))).isEqualTo(images.fingerprint());
        assertThat(Fingerprint.of(frame.coalesce(1).orderBy(frame.col(ImageSchema.ID).desc())))
                .isEqualTo(images.fingerprint());
        // Ids are relative to the root, so a copy elsewhere has the same fingerprint.
        assertThat(read(dataset(dir.resolve("elsewhere"), 0)).fingerprint()).isEqualTo(images.fingerprint());
    }

    @Test
    void oneChangedPixelChangesTheFingerprint() throws Exception {
        String original = read(dataset(dir.resolve("one"), 0)).fingerprint();
        assertThat(read(dataset(dir.resolve("two"), 1)).fingerprint()).isNotEqualTo(original);
    }

    @Test
    void duplicatedOrMissingRowsChangeTheFingerprint() throws Exception {
        Dataset<Row> frame = read(dataset(dir.resolve("one"), 0)).frame();
        String all = Fingerprint.of(frame);
        assertThat(Fingerprint.of(frame.union(frame))).isNotEqualTo(all);
        assertThat(Fingerprint.of(frame.filter(frame.col(ImageSchema.ID).notEqual("a/0.png")))).isNotEqualTo(all);
    }

    @Test
    void movingAnImageToAnotherClassChangesTheFingerprint() throws Exception {
        Path root = dataset(dir.resolve("one"), 0);
        String original = read(root).fingerprint();
        // Same pixels and file name, other class folder: its id and label both change.
        java.nio.file.Files.move(root.resolve("a/4.png"), root.resolve("b/4.png"));
        assertThat(read(root).fingerprint()).isNotEqualTo(original);
    }
}
