package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.TestSpark;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.store.Json;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command with augment.enabled: training split augmented, validation not, preview written. */
class TrainJobAugmentIT {
    @TempDir
    java.nio.file.Path output;

    @Test
    void augmentsTheTrainingSplitOnlyAndWritesThePreview() throws IOException {
        FoldwiseConfig config = ConfigLoader.load(null, List.of("data.train=" + TestSpark.sample("train"),
                "run.output=" + output, "run.id=aug", "train.architecture={mlp=[32]}", "train.epochs=1",
                "augment.enabled=true", "augment.copies=2"));
        RunLayout run = TrainJob.run(TestSpark.session(), config).layout();
        Storage storage = new Storage(TestSpark.session().sparkContext().hadoopConfiguration());

        JsonNode record = Json.parse(storage.readString(run.runJson()));
        assertThat(record.path("status").asText()).isEqualTo(io.foldwise.store.RunState.FINISHED.json());
        assertThat(record.path("data").path("augmentPreview").asText()).isEqualTo("augment-preview.png");
        assertThat(record.path("data").path("trainCount").asLong()).isEqualTo(1600);
        JsonNode metrics = Json.parse(storage.readString(run.metricsJson()));
        // J_train on the originals (comparable with the validation loss), and on everything trained on.
        assertThat(metrics.path("train").path("count").asLong()).as("the 1600 originals").isEqualTo(1600);
        assertThat(metrics.path("trainAugmented").path("count").asLong()).as("1600 originals + 2 copies each")
                .isEqualTo(4800);
        assertThat(metrics.path("validation").path("count").asLong()).as("validation stays original").isEqualTo(400);

        org.apache.hadoop.fs.Path preview = new org.apache.hadoop.fs.Path(run.runDir(),
                record.path("data").path("augmentPreview").asText());
        assertThat(preview).isEqualTo(run.augmentPreviewPng());
        BufferedImage png;
        try (InputStream in = storage.fs(preview).open(preview)) {
            png = ImageIO.read(in);
        }
        // 10 classes, one row of 28x28 tiles at 3x each.
        assertThat(png).isNotNull();
        assertThat(png.getHeight()).isGreaterThan(10 * 84);
        assertThat(png.getWidth()).isGreaterThan(2 * 3 * 84);

        // the report shows the preview the run recorded under run.json's data
        org.apache.hadoop.fs.Path index = io.foldwise.report.ReportWriter.write(storage, run);
        String page = storage.readString(index);
        assertThat(page).contains("id=\"augmentation\"")
                .contains("<img src=\"../" + record.path("data").path("augmentPreview").asText() + "\"");
    }
}
