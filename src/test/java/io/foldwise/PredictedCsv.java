package io.foldwise;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.report.CsvTable;
import io.foldwise.store.Csv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads what {@code predict} writes: a directory of CSV part files, for tests in any package. */
public final class PredictedCsv {
    private PredictedCsv() {
    }

    /**
     * The CSV part files of a predict output directory as one table, rows in id order (each part
     * is sorted by id and starts with the header line).
     */
    public static CsvTable read(Path dir) throws IOException {
        assertThat(dir.resolve("_SUCCESS")).exists();
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
        }
        String header = null;
        List<List<String>> rows = new java.util.ArrayList<>();
        for (Path part : parts) {
            CsvTable t = CsvTable.parse(Files.readString(part));
            if (t.header().isEmpty()) {
                continue;
            }
            header = Csv.line(t.header());
            for (int i = 0; i < t.size(); i++) {
                List<String> row = new java.util.ArrayList<>();
                for (String column : t.header()) {
                    row.add(t.text(i, column));
                }
                rows.add(row);
            }
        }
        rows.sort(java.util.Comparator.comparing(r -> r.get(0)));
        StringBuilder text = new StringBuilder(header == null ? "" : header);
        rows.forEach(r -> text.append(Csv.line(r)));
        return CsvTable.parse(text.toString());
    }

}
