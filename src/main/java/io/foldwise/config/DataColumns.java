package io.foldwise.config;

import java.util.Optional;

/**
 * Column names of Parquet or table input ({@code data.columns}).
 *
 * @param id    a unique, stable id per image (string or integer)
 * @param label the class name (string or integer, sorted by name as for folders and IDX)
 * @param image the encoded PNG/JPEG bytes (binary), or the pixels as a fixed-size array of numbers (HWC)
 * @param path  where the image came from, shown in outputs; empty: outputs show the id
 */
public record DataColumns(String id, String label, String image, Optional<String> path) {
    /** The defaults of reference.conf: id, label, image, no path column. */
    public static final DataColumns DEFAULT = new DataColumns("id", "label", "image", Optional.empty());

    public DataColumns {
        Problems p = new Problems();
        p.check(id != null && !id.isBlank(), "data.columns.id", "name a column", "\"" + id + "\"");
        p.check(label != null && !label.isBlank(), "data.columns.label", "name a column", "\"" + label + "\"");
        p.check(image != null && !image.isBlank(), "data.columns.image", "name a column", "\"" + image + "\"");
        p.throwIfAny();
    }
}
