package io.foldwise.ingest;

/**
 * Pure functions on images held as float arrays in channel-last (HWC) order: decoding Spark's
 * image bytes, bilinear sampling and resizing, and grayscale/RGB conversion. No Spark here, so
 * executors, the augmentation stage and tests can all use it directly.
 */
public final class Pixels {
    /** ITU-R BT.601 luma weights, the usual RGB to grayscale conversion. */
    public static final float LUMA_R = 0.299f;
    public static final float LUMA_G = 0.587f;
    public static final float LUMA_B = 0.114f;

    private Pixels() {
    }

    /**
     * Decodes the {@code data} bytes of Spark's image data source: row-major, channel-interleaved,
     * one gray byte per pixel or BGR(A). Returns values in [0, 1] with 1 channel for gray and 3 in
     * RGB order otherwise (alpha is dropped).
     */
    public static float[] fromImageBytes(byte[] data, int height, int width, int nChannels) {
        if (nChannels != 1 && nChannels != 3 && nChannels != 4) {
            throw new IllegalArgumentException("nChannels must be 1, 3 or 4, got " + nChannels);
        }
        int n = height * width;
        checkLength(data.length, height, width, nChannels);
        if (nChannels == 1) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = (data[i] & 0xFF) / 255f;
            }
            return out;
        }
        float[] out = new float[n * 3];
        for (int i = 0, src = 0, dst = 0; i < n; i++, src += nChannels, dst += 3) {
            out[dst] = (data[src + 2] & 0xFF) / 255f;
            out[dst + 1] = (data[src + 1] & 0xFF) / 255f;
            out[dst + 2] = (data[src] & 0xFF) / 255f;
        }
        return out;
    }

    /**
     * Bilinear sample of one channel at real-valued coordinates, where pixel (r, c) has its centre
     * at y = r, x = c. Coordinates outside the image are clamped to the border (edge replication).
     */
    public static float sampleBilinear(float[] img, int height, int width, int channels, int channel,
                                       float y, float x) {
        float cy = Math.min(Math.max(y, 0f), height - 1);
        float cx = Math.min(Math.max(x, 0f), width - 1);
        int y0 = (int) cy;
        int x0 = (int) cx;
        int y1 = Math.min(y0 + 1, height - 1);
        int x1 = Math.min(x0 + 1, width - 1);
        float fy = cy - y0;
        float fx = cx - x0;
        float top = lerp(img[(y0 * width + x0) * channels + channel], img[(y0 * width + x1) * channels + channel], fx);
        float bottom = lerp(img[(y1 * width + x0) * channels + channel], img[(y1 * width + x1) * channels + channel], fx);
        return lerp(top, bottom, fy);
    }

    /**
     * As {@link #sampleBilinear(float[], int, int, int, int, float, float)}, but points more than
     * half a pixel outside the image read {@code outside} (e.g. a black background after a shift).
     */
    public static float sampleBilinear(float[] img, int height, int width, int channels, int channel,
                                       float y, float x, float outside) {
        if (y < -0.5f || x < -0.5f || y > height - 0.5f || x > width - 0.5f) {
            return outside;
        }
        return sampleBilinear(img, height, width, channels, channel, y, x);
    }

    /**
     * Bilinear resize with pixel centres aligned (output pixel i samples the source at
     * {@code (i + 0.5) * srcSize / dstSize - 0.5}), as OpenCV's INTER_LINEAR does. No
     * anti-aliasing: strong downscaling skips detail rather than averaging it.
     */
    public static float[] resizeBilinear(float[] img, int height, int width, int channels, int newHeight,
                                         int newWidth) {
        checkLength(img.length, height, width, channels);
        if (newHeight < 1 || newWidth < 1) {
            throw new IllegalArgumentException("target size must be at least 1x1, got " + newHeight + "x" + newWidth);
        }
        if (newHeight == height && newWidth == width) {
            return img.clone();
        }
        float scaleY = (float) height / newHeight;
        float scaleX = (float) width / newWidth;
        float[] out = new float[newHeight * newWidth * channels];
        for (int r = 0; r < newHeight; r++) {
            float y = (r + 0.5f) * scaleY - 0.5f;
            for (int c = 0; c < newWidth; c++) {
                float x = (c + 0.5f) * scaleX - 0.5f;
                int base = (r * newWidth + c) * channels;
                for (int ch = 0; ch < channels; ch++) {
                    out[base + ch] = sampleBilinear(img, height, width, channels, ch, y, x);
                }
            }
        }
        return out;
    }

    /** Replicates each gray value into R, G and B. */
    public static float[] grayToRgb(float[] gray, int height, int width) {
        checkLength(gray.length, height, width, 1);
        float[] out = new float[gray.length * 3];
        for (int i = 0; i < gray.length; i++) {
            out[3 * i] = gray[i];
            out[3 * i + 1] = gray[i];
            out[3 * i + 2] = gray[i];
        }
        return out;
    }

    /** Luminance {@code 0.299 R + 0.587 G + 0.114 B}. */
    public static float[] rgbToGray(float[] rgb, int height, int width) {
        checkLength(rgb.length, height, width, 3);
        float[] out = new float[height * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = LUMA_R * rgb[3 * i] + LUMA_G * rgb[3 * i + 1] + LUMA_B * rgb[3 * i + 2];
        }
        return out;
    }

    /** Converts between 1 and 3 channels; returns a copy when they are equal. */
    public static float[] convertChannels(float[] img, int height, int width, int from, int to) {
        if (from == to) {
            checkLength(img.length, height, width, from);
            return img.clone();
        }
        if (from == 1 && to == 3) {
            return grayToRgb(img, height, width);
        }
        if (from == 3 && to == 1) {
            return rgbToGray(img, height, width);
        }
        throw new IllegalArgumentException("can only convert between 1 and 3 channels, got " + from + " -> " + to);
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }

    private static void checkLength(int length, int height, int width, int channels) {
        if (height < 1 || width < 1 || (long) height * width * channels != length) {
            throw new IllegalArgumentException("expected " + height + "x" + width + "x" + channels + " = "
                    + ((long) height * width * channels) + " values, got " + length);
        }
    }
}
