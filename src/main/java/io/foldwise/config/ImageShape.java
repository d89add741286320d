package io.foldwise.config;

import java.io.Serializable;

/** The input shape every image must have after ingest: height x width x channels (1 or 3). */
public record ImageShape(int height, int width, int channels) implements Serializable {
    /** The most values one image may have: the largest Java array (less the JVM's header words). */
    public static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    public ImageShape {
        Problems p = new Problems();
        p.check(height >= 1, "data.height", "be >= 1", height);
        p.check(width >= 1, "data.width", "be >= 1", width);
        p.check(channels == 1 || channels == 3, "data.channels", "be 1 (grayscale) or 3 (RGB)", channels);
        p.check((long) Math.max(height, 1) * Math.max(width, 1) * Math.max(channels, 1) <= MAX_VALUES,
                "data.height x data.width x data.channels", "be at most " + MAX_VALUES + " values per image (one "
                        + "Java array)", (long) height * width * channels);
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
