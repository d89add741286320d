package io.foldwise.config;

/**
 * What ingest does with images that do not match the configured shape or cannot be read.
 *
 * @param resize          resize images of another height/width (bilinear) instead of rejecting them
 * @param convertChannels convert grayscale/RGB to the configured channel count instead of rejecting
 * @param dropInvalid     skip corrupt or unreadable files (counted in provenance) instead of failing
 */
public record IngestConfig(boolean resize, boolean convertChannels, boolean dropInvalid) {
}
