/**
 * Reads image folders and IDX files into one validated DataFrame schema
 * ({@link io.foldwise.ingest.ImageSchema}): decoding, shape and channel checks, labels, the data
 * fingerprint. May import config only.
 */
package io.foldwise.ingest;
