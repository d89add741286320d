package io.foldwise.report;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file a run wrote (RFC 4180: quoted fields, doubled quotes), read back by column name.
 * Empty numeric fields read as NaN, as the writers render NaN.
 *
 * @param header the column names
 * @param rows   the records after the header, each as long as the header
 */
public record CsvTable(List<String> header, List<List<String>> rows) {
    public CsvTable {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /** Parses CSV text; an empty text is a table with no columns. */
    public static CsvTable parse(String text) {
        List<List<String>> records = records(text);
        if (records.isEmpty()) {
            return new CsvTable(List.of(), List.of());
        }
        List<String> header = records.get(0);
        List<List<String>> rows = new ArrayList<>();
        for (List<String> r : records.subList(1, records.size())) {
            List<String> row = new ArrayList<>(r);
            while (row.size() < header.size()) {
                row.add("");
            }
            rows.add(row);
        }
        return new CsvTable(header, rows);
    }

    /** True if the table has this column. */
    public boolean has(String column) {
        return header.contains(column);
    }

    /** The text of a field. */
    public String text(int row, String column) {
        int j = header.indexOf(column);
        if (j < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + header);
        }
        return rows.get(row).get(j);
    }

    /** A numeric field; empty is NaN. */
    public double number(int row, String column) {
        return number(text(row, column));
    }

    /** A field's number; empty is NaN. */
    static double number(String field) {
        String s = field.strip();
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** Row indices grouped by the text of {@code column}, groups in order of first appearance. */
    public Map<String, List<Integer>> groups(String column) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < size(); i++) {
            out.computeIfAbsent(text(i, column), k -> new ArrayList<>()).add(i);
        }
        return out;
    }

    /** The numbers of {@code column} in {@code rows}. */
    public double[] column(List<Integer> rows, String column) {
        return rows.stream().mapToDouble(r -> number(r, column)).toArray();
    }

    /** Number of records. */
    public int size() {
        return rows.size();
    }

    private static List<List<String>> records(String text) {
        CsvRecords in = new CsvRecords(new StringReader(text));
        List<List<String>> out = new ArrayList<>();
        for (List<String> r = in.next(); r != null; r = in.next()) {
            out.add(r);
        }
        return out;
    }
}
