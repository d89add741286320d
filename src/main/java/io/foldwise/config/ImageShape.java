package io.foldwise.config;

import java.io.Serializable;

/** The input shape every image must have after ingest: height x width x channels (1 or 3). */
public record ImageShape(int height, int width, int channels) implements Serializable {
    public ImageShape {
        Problems p = new Problems();
        p.check(height >= 1, "data.height", "be >= 1", height);
        p.check(width >= 1, "data.width", "be >= 1", width);
        p.check(channels == 1 || channels == 3, "data.channels", "be 1 (grayscale) or 3 (RGB)", channels);
        p.throwIfAny();
    }

    /** Number of values per image. */
    public int size() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels;
    }
}
