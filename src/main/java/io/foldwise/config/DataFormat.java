package io.foldwise.config;

/** How the input data is stored. */
public enum DataFormat {
    /** {@code <root>/<class-name>/*.png|jpg|jpeg}, read with Spark's image data source. */
    FOLDERS,
    /** MNIST-style IDX files (raw or gzip): an images file and a labels file. */
    IDX,
    /** Parquet files (a file or a directory) with the named columns of {@link DataColumns}. */
    PARQUET,
    /** A table of Spark's catalog ({@code db.table}) with the named columns of {@link DataColumns}. */
    TABLE;

    /** Whether rows come from named columns ({@link DataColumns}) rather than files laid out by class. */
    public boolean columnar() {
        return this == PARQUET || this == TABLE;
    }
}
