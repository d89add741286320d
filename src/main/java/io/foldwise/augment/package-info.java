/**
 * Image augmentation as DataFrame operations on training rows only, deterministic per (seed,
 * source id, copy): the distortions, their composition and the preview. May import ingest (the
 * image schema, pixel sampling), store (the preview's file) and config; nothing above.
 */
package io.foldwise.augment;
