package io.foldwise.report;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records (quoted fields, doubled quotes, CRLF or LF line ends) read one at a time from a
 * character stream, so a file of millions of rows is never whole in memory. Hand-written rather
 * than commons-csv: it is not on Spark's classpath, and this is all the report needs.
 */
final class CsvRecords {
    private final Reader in;
    private int pending = -2; // a character read ahead; -2 = none

    CsvRecords(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the stream. A blank line is a record of one empty field. */
    List<String> next() {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int c = read(); c >= 0; c = read()) {
            if (quoted) {
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        pending = d;
                    }
                } else {
                    field.append((char) c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    record.add(field.toString());
                    field.setLength(0);
                    any = true;
                }
                case '\r' -> {
                    // part of a CRLF line end
                }
                case '\n' -> {
                    record.add(field.toString());
                    return record;
                }
                default -> {
                    field.append((char) c);
                    any = true;
                }
            }
        }
        if (any || field.length() > 0) {
            record.add(field.toString());
            return record;
        }
        return null;
    }

    private int read() {
        if (pending != -2) {
            int c = pending;
            pending = -2;
            return c;
        }
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
