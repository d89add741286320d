package io.foldwise.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.cluster.ChildProcesses;
import io.foldwise.select.ErrorAnalysis;
import io.foldwise.store.Storage;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's error analysis reads best/oof-predictions.csv a row at a time: a file of 1,700,000
 * rows (about 112 MB, twice that as a Java string) is analysed in a child JVM whose whole heap is
 * 96 MB, where reading the file whole could not even hold its text.
 */
class OutOfFoldStreamIT {
    private static final int ROWS = 1_700_000;
    private static final List<String> LABELS = List.of("cat", "dog", "fox");

    @TempDir
    Path tmp;

    @Test
    void analysesAFileLargerThanTheHeap() throws Exception {
        Path csv = tmp.resolve("oof-predictions.csv");
        long errors = 0;
        Random r = new Random(11);
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            w.write("id,path,label,predicted,p_cat,p_dog,p_fox,fold\n");
            for (int i = 0; i < ROWS; i++) {
                int label = r.nextInt(3);
                int predicted = r.nextInt(10) < 8 ? label : r.nextInt(3);
                errors += label == predicted ? 0 : 1;
                double p = 0.34 + r.nextInt(66) / 100.0;
                double[] ps = new double[3];
                ps[predicted] = p;
                ps[(predicted + 1) % 3] = 1 - p;
                w.write(String.format(Locale.ROOT, "img-%07d,\"file:/data/%s/%07d.png\",%s,%s,%.2f,%.2f,%.2f,%d%n", i,
                        LABELS.get(label), i, LABELS.get(label), LABELS.get(predicted), ps[0], ps[1], ps[2], i % 5));
            }
        }
        assertThat(Files.size(csv)).isGreaterThan(96L << 20);

        Path log = tmp.resolve("child.log");
        try (ChildProcesses processes = new ChildProcesses()) {
            Process p = processes.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx96m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), csv.toString()),
                    tmp, Map.of(), log);
            assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
            String out = Files.readString(log);
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("errors=" + errors + " of " + ROWS).contains("folds=[0, 1, 2, 3, 4]")
                    .contains("examples=" + ErrorAnalysis.EXAMPLES);
        }
    }

    /** The child: analyses the file and prints what it found. */
    public static final class Child {
        public static void main(String[] args) {
            ErrorAnalysis a = ErrorAnalysisSection.read(new Storage(new Configuration()),
                    new org.apache.hadoop.fs.Path("file://" + args[0]));
            long total = 0;
            for (int c = 0; c < a.labels().size(); c++) {
                total += a.evaluation().support(c);
            }
            System.out.println("errors=" + a.errors() + " of " + total + " folds=" + a.folds() + " examples="
                    + a.mostConfidentMistakes().size() + " " + a.summary());
        }
    }
}
