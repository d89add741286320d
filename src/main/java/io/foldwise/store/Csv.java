package io.foldwise.store;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 CSV lines: fields quoted when needed, doubles in full precision, NaN as empty. */
public final class Csv {
    private Csv() {
    }

    public static String line(List<?> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\n";
    }

    public static String field(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? Double.toString(d) : "";
        }
        String s = String.valueOf(v);
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
