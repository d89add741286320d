package io.foldwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.SmallSweep;
import io.foldwise.TestSpark;
import io.foldwise.report.CsvTable;
import io.foldwise.store.Json;
import io.foldwise.store.ModelLabels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code predict} with the small sweep's refit model. */
class PredictCommandTest {
    static SmallSweep.Run run;
    static Path scratch;

    @BeforeAll
    static void sweep() throws IOException {
        run = SmallSweep.get();
        scratch = Files.createDirectories(run.root().resolve("predict"));
    }

    static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void predictingTheTestSetReproducesTheRunsOwnTestEvaluation() throws IOException {
        Path csv = scratch.resolve("test.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SmallSweep.runCli(out, err, "predict", "--model", run.dir().toString(), "--input",
                TestSpark.sample("test").toString(), "--output", csv.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        CsvTable table = readCsv(csv);
        List<String> labels = labels();
        assertThat(table.header()).startsWith("id", "path", "label", "predicted");
        assertThat(table.header().subList(4, table.header().size()))
                .containsExactlyElementsOf(labels.stream().map(l -> "p_" + l).toList());
        assertThat(table.size()).isEqualTo(images(TestSpark.sample("test")).size());
        long correct = 0;
        for (int i = 0; i < table.size(); i++) {
            double sum = 0;
            int argMax = 0;
            for (int c = 0; c < labels.size(); c++) {
                double p = table.number(i, "p_" + labels.get(c));
                assertThat(p).isBetween(0.0, 1.0);
                sum += p;
                argMax = p > table.number(i, "p_" + labels.get(argMax)) ? c : argMax;
            }
            assertThat(sum).as("row %d", i).isCloseTo(1.0, Offset.offset(1e-9));
            assertThat(table.text(i, "predicted")).isEqualTo(labels.get(argMax));
            assertThat(table.text(i, "id")).isEqualTo(table.text(i, "label") + "/"
                    + Path.of(java.net.URI.create(table.text(i, "path"))).getFileName());
            correct += table.text(i, "label").equals(table.text(i, "predicted")) ? 1 : 0;
        }
        JsonNode test = Json.parse(Files.readString(run.dir().resolve("best/test-metrics.json")));
        double accuracy = (double) correct / table.size();
        assertThat(accuracy).isCloseTo(test.path("accuracy").asDouble(), Offset.offset(1e-9));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", accuracy))
                .contains("confusion matrix");
        // the loss too: same features, same network, same stable cross-entropy
        assertThat(printed).contains(String.format(java.util.Locale.ROOT, "loss %.4f", test.path("loss").asDouble()));
    }

    @Test
    void modelZipPathAndUnlabeledFolderOfImages() throws IOException {
        Path flat = Files.createDirectories(scratch.resolve("flat"));
        List<Path> some = images(TestSpark.sample("test")).stream().limit(7).toList();
        for (Path p : some) {
            Files.copy(p, flat.resolve(p.getParent().getFileName() + "-" + p.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path csv = scratch.resolve("flat.csv");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SmallSweep.runCli(out, err, "predict", "--model", run.dir().resolve("best/model.zip").toString(),
                "--input", flat.toString(), "--output", csv.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        CsvTable table = readCsv(csv);
        assertThat(table.size()).isEqualTo(some.size());
        for (int i = 0; i < table.size(); i++) {
            assertThat(table.text(i, "label")).isEmpty();
            assertThat(labels()).contains(table.text(i, "predicted"));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("accuracy 0").contains("no labels");
    }

    @Test
    void imagesOfTheWrongShapeAreADataError() throws IOException {
        Path dir = Files.createDirectories(scratch.resolve("small/3"));
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("tiny.png").toFile());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", run.dir().toString(),
                "--input", dir.getParent().toString(), "--output", scratch.resolve("small.csv").toString());
        assertThat(code).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("3/tiny.png").contains("10x10")
                .contains("data.height");
        assertThat(scratch.resolve("small.csv")).doesNotExist();
    }

    @Test
    void aModelOutsideARunIsAUsageError() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", scratch.toString(),
                "--input", TestSpark.sample("test").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no run.json");
    }

    @Test
    void idxInputGivesTheSamePredictionsAsTheSameImagesInFolders() throws IOException {
        // two images per class, as class folders and as one IDX file pair in the same (id) order
        Path folders = scratch.resolve("twenty");
        SmallSweep.deleteTree(folders);
        List<Path> chosen = new java.util.ArrayList<>();
        try (Stream<Path> classes = Files.list(TestSpark.sample("test"))) {
            for (Path dir : classes.sorted().toList()) {
                chosen.addAll(images(dir).subList(0, 2));
            }
        }
        java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream labelBytes = new java.io.ByteArrayOutputStream();
        for (Path p : chosen) {
            String label = p.getParent().getFileName().toString();
            Path target = Files.createDirectories(folders.resolve(label)).resolve(p.getFileName());
            Files.copy(p, target);
            BufferedImage image = ImageIO.read(p.toFile());
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    pixels.write(image.getRaster().getSample(x, y, 0));
                }
            }
            labelBytes.write(Integer.parseInt(label));
        }
        Path idx = scratch.resolve("twenty-images.idx");
        Path idxLabels = scratch.resolve("twenty-labels.idx");
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(16).putInt(0x803).putInt(chosen.size()).putInt(28)
                .putInt(28);
        Files.write(idx, concat(head.array(), pixels.toByteArray()));
        Files.write(idxLabels, concat(java.nio.ByteBuffer.allocate(8).putInt(0x801).putInt(chosen.size()).array(),
                labelBytes.toByteArray()));

        Path fromFolders = scratch.resolve("twenty-folders.csv");
        Path fromIdx = scratch.resolve("twenty-idx.csv");
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "predict", "--model",
                run.dir().toString(), "--input", folders.toString(), "--output", fromFolders.toString())).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(out, new ByteArrayOutputStream(), "predict", "--model", run.dir().toString(),
                "--input", idx.toString(), "--input-labels", idxLabels.toString(), "--output", fromIdx.toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("accuracy");
        CsvTable a = readCsv(fromFolders);
        CsvTable b = readCsv(fromIdx);
        assertThat(b.size()).isEqualTo(a.size()).isEqualTo(chosen.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.text(i, "label")).isEqualTo(a.text(i, "label"));
            assertThat(b.text(i, "predicted")).isEqualTo(a.text(i, "predicted"));
            for (String label : labels()) {
                assertThat(b.number(i, "p_" + label)).isCloseTo(a.number(i, "p_" + label), Offset.offset(1e-6));
            }
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", run.dir().toString(),
                "--input", idx.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--input-labels");
    }

    @Test
    void parquetOutputHoldsTheSameRowsAsCsvAndParquetInputPredictsAsFolders() throws IOException {
        Path csv = scratch.resolve("same.csv");
        Path byName = scratch.resolve("same.parquet");
        Path byOption = scratch.resolve("same-out");
        Path fromTable = scratch.resolve("from-table.csv");
        Path table = io.foldwise.ingest.SampleTables.write(TestSpark.session(), TestSpark.sample("test"),
                scratch.resolve("test-input.parquet"), io.foldwise.ingest.SampleTables.Kind.ENCODED);
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "predict", "--model",
                run.dir().toString(), "--input", TestSpark.sample("test").toString(), "--output", csv.toString()))
                .isZero();
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), new ByteArrayOutputStream(), "predict", "--model",
                run.dir().toString(), "--input", TestSpark.sample("test").toString(), "--output", byName.toString()))
                .isZero();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", run.dir().toString(),
                "--input", TestSpark.sample("test").toString(), "--output", byOption.toString(), "--format", "parquet"))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(out, new ByteArrayOutputStream(), "predict", "--model", run.dir().toString(),
                "--input", table.toString(), "--output", fromTable.toString())).isZero();

        CsvTable expected = readCsv(csv);
        List<String> labels = labels();
        for (Path parquet : List.of(byName, byOption)) {
            assertThat(parquet.resolve("_SUCCESS")).exists();
            List<org.apache.spark.sql.Row> rows = TestSpark.session().read().parquet(parquet.toString()).orderBy("id")
                    .collectAsList();
            assertThat(rows).hasSize(expected.size());
            assertThat(rows.get(0).schema().fieldNames()).startsWith("id", "path", "label", "predicted")
                    .contains("p_" + labels.get(0));
            for (int i = 0; i < rows.size(); i++) {
                org.apache.spark.sql.Row r = rows.get(i);
                assertThat(r.<String>getAs("id")).isEqualTo(expected.text(i, "id"));
                assertThat(r.<String>getAs("label")).isEqualTo(expected.text(i, "label"));
                assertThat(r.<String>getAs("predicted")).isEqualTo(expected.text(i, "predicted"));
                for (String label : labels) {
                    assertThat(r.<Double>getAs("p_" + label)).isEqualTo(expected.number(i, "p_" + label));
                }
            }
        }
        // Parquet input (PNG bytes, the folder reader's ids) predicts exactly what the folders do.
        CsvTable tableOut = readCsv(fromTable);
        assertThat(tableOut.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(tableOut.text(i, "id")).isEqualTo(expected.text(i, "id"));
            assertThat(tableOut.text(i, "predicted")).isEqualTo(expected.text(i, "predicted"));
            // the same features; only the minibatches' composition differs (float rounding in the products)
            assertThat(tableOut.number(i, "p_" + labels.get(0)))
                    .isCloseTo(expected.number(i, "p_" + labels.get(0)), Offset.offset(1e-6));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("accuracy");
    }

    static CsvTable readCsv(Path dir) throws IOException {
        return io.foldwise.PredictedCsv.read(dir);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> labels() throws IOException {
        return ModelLabels.fromJson(Json.parse(Files.readString(run.dir().resolve("best/labels.json")))).labels();
    }

    @Test
    void predictAppliesTheClassMappingStoredInLabelsJson() throws IOException {
        // The small sweep's model with labels.json saying it was trained with class 3 renamed "three"
        // and class 9 left out: predict must read the input through that mapping.
        Path mapped = scratch.resolve("mapped");
        SmallSweep.deleteTree(mapped);
        Files.createDirectories(mapped.resolve("best"));
        Files.copy(run.dir().resolve("run.json"), mapped.resolve("run.json"));
        Files.copy(run.dir().resolve("best/model.zip"), mapped.resolve("best/model.zip"));
        List<String> renamed = labels().stream().map(l -> l.equals("3") ? "three" : l).toList();
        java.util.Map<String, String> classes = new java.util.TreeMap<>();
        labels().stream().filter(l -> !l.equals("9")).forEach(l -> classes.put(l, l.equals("3") ? "three" : l));
        Files.writeString(mapped.resolve("best/labels.json"), Json.render(
                new ModelLabels(renamed, io.foldwise.config.ClassMap.of(classes)).toJson()));

        Path csv = scratch.resolve("mapped.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(SmallSweep.runCli(new ByteArrayOutputStream(), err, "predict", "--model", mapped.toString(),
                "--input", TestSpark.sample("test").toString(), "--output", csv.toString()))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        CsvTable table = readCsv(csv);
        long nines = images(TestSpark.sample("test").resolve("9")).size();
        assertThat(table.size()).isEqualTo(images(TestSpark.sample("test")).size() - nines);
        assertThat(table.header()).contains("p_three").doesNotContain("p_3");
        for (int i = 0; i < table.size(); i++) {
            String source = table.text(i, "id").substring(0, table.text(i, "id").indexOf('/'));
            assertThat(source).isNotEqualTo("9");
            assertThat(table.text(i, "label")).isEqualTo(source.equals("3") ? "three" : source);
        }
    }
}
