package io.foldwise.ingest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;

/**
 * Pure functions on images held as float arrays in channel-last (HWC) order: decoding image files
 * and Spark's image bytes, bilinear sampling and resizing, and grayscale/RGB conversion. No Spark here, so
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

    /**
     * An image file decoded into the bytes {@link #fromImageBytes} takes, or why it was not.
     *
     * @param data    row-major bytes: one gray byte per pixel (nChannels 1) or B, G, R (nChannels 3);
     *                null when not decoded
     * @param problem null when decoded; else {@link #UNREADABLE} or {@link #TOO_LARGE}
     */
    public record Decoded(int height, int width, int nChannels, byte[] data, String problem) {
    }

    /** {@link Decoded#problem} of a file no reader could decode (corrupt, truncated, CMYK JPEG, not an image). */
    public static final String UNREADABLE = "unreadable";
    /** {@link Decoded#problem} of a file whose header says it has more than the allowed pixels. */
    public static final String TOO_LARGE = "too large";

    /**
     * Decodes a PNG or JPEG file. Its header is read first: an image of more than {@code maxPixels}
     * pixels is refused without being decoded. Any failure of the decoder (an {@code IIOException} for a
     * truncated PNG or a CMYK JPEG, a runtime exception from a broken stream) makes it
     * {@link #UNREADABLE}. Gray images of any bit depth become 8-bit gray, scaled (a 16-bit sample v
     * becomes round(v * 255 / 65535), not its low byte); every other image 8-bit sRGB (alpha dropped).
     */
    public static Decoded decodeFile(byte[] file, long maxPixels) {
        javax.imageio.ImageReader reader = null;
        try (javax.imageio.stream.ImageInputStream in = javax.imageio.ImageIO.createImageInputStream(
                new ByteArrayInputStream(file))) {
            Iterator<javax.imageio.ImageReader> readers = in == null ? Collections.emptyIterator()
                    : javax.imageio.ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return new Decoded(0, 0, 0, null, UNREADABLE);
            }
            reader = readers.next();
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > maxPixels) {
                return new Decoded(height, width, 0, null, TOO_LARGE);
            }
            java.awt.image.BufferedImage img = reader.read(0);
            return toBytes(img);
        } catch (IOException | RuntimeException e) {
            return new Decoded(0, 0, 0, null, UNREADABLE);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static Decoded toBytes(java.awt.image.BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        java.awt.image.ColorModel model = img.getColorModel();
        if (model.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY) {
            java.awt.image.Raster raster = img.getRaster();
            int bits = model.getComponentSize(0);
            long max = (1L << bits) - 1;
            byte[] out = new byte[h * w];
            for (int y = 0, i = 0; y < h; y++) {
                for (int x = 0; x < w; x++, i++) {
                    long v = raster.getSample(x, y, 0) & 0xFFFFFFFFL;
                    out[i] = (byte) (bits == 8 ? v : (v * 255 + max / 2) / max);
                }
            }
            return new Decoded(h, w, 1, out, null);
        }
        byte[] out = new byte[h * w * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i += 3) {
                int argb = img.getRGB(x, y);
                out[i] = (byte) argb;
                out[i + 1] = (byte) (argb >> 8);
                out[i + 2] = (byte) (argb >> 16);
            }
        }
        return new Decoded(h, w, 3, out, null);
    }
}
