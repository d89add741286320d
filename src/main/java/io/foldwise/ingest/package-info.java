/** Reads image folders and IDX files into one validated DataFrame schema ({@link io.foldwise.ingest.ImageSchema}). */
package io.foldwise.ingest;
