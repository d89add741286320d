package io.foldwise.config;

/** How the input data is stored. */
public enum DataFormat {
    /** {@code <root>/<class-name>/*.png|jpg|jpeg}, read with Spark's image data source. */
    FOLDERS,
    /** MNIST-style IDX files (raw or gzip): an images file and a labels file. */
    IDX
}
