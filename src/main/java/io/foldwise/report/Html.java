package io.foldwise.report;

import java.util.Locale;

/** HTML escaping and number formatting for the report. Every string from config or data goes through {@link #esc}. */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and quoted attribute values; null is empty. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code v} with {@code digits} decimals, or an en dash for NaN or infinity. */
    static String num(double v, int digits) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + digits + "f", v) : "–";
    }

    /** {@code mean ± std} with 4 decimals; the std is left out when NaN (fewer than two folds). */
    static String stat(double mean, double std) {
        return num(mean, 4) + (Double.isFinite(std) ? " ± " + num(std, 4) : "");
    }

    /** A machine-readable number for data attributes: full precision, empty for NaN. */
    static String raw(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** A key/value row of a {@code kv} table; {@code html} is already escaped. */
    static void kv(StringBuilder b, String key, String html) {
        b.append("<tr><th>").append(key).append("</th><td>").append(html).append("</td></tr>\n");
    }

    /** A table cell showing {@code text} (escaped), sorted by {@code sortKey}. */
    static void cell(StringBuilder b, String sortKey, String text) {
        cellHtml(b, sortKey, esc(text));
    }

    /** A table cell showing {@code html} (already escaped), sorted by {@code sortKey}. */
    static void cellHtml(StringBuilder b, String sortKey, String html) {
        b.append("<td data-sort=\"").append(esc(sortKey)).append("\">").append(html).append("</td>");
    }
}
