package io.foldwise.config;

/**
 * What ingest does with images that do not match the configured shape or cannot be read.
 *
 * @param resize          resize images of another height/width (bilinear) instead of rejecting them
 * @param convertChannels convert grayscale/RGB to the configured channel count instead of rejecting
 * @param dropInvalid     skip corrupt, unreadable or too large files (counted in provenance) instead of failing
 * @param maxPixels       the most pixels (height x width) an image file may have; larger ones are
 *                        refused from their header, before decoding (a decompression bomb cannot
 *                        exhaust an executor)
 */
public record IngestConfig(boolean resize, boolean convertChannels, boolean dropInvalid, long maxPixels) {
    /** reference.conf's ingest.maxPixels: 100 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    public IngestConfig {
        Problems p = new Problems();
        p.check(maxPixels >= 1, "ingest.maxPixels", "be >= 1", maxPixels);
        p.throwIfAny();
    }

    /** With the default {@link #DEFAULT_MAX_PIXELS}. */
    public IngestConfig(boolean resize, boolean convertChannels, boolean dropInvalid) {
        this(resize, convertChannels, dropInvalid, DEFAULT_MAX_PIXELS);
    }
}
