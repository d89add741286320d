package io.foldwise.augment;

import io.foldwise.ingest.Pixels;
import java.util.SplittableRandom;

/**
 * Applies a {@link Distortion} to an image held as floats in [0, 1], channel-last (HWC), with 1 or
 * 3 channels. Pure functions, no Spark: executors, the preview and tests call them directly.
 *
 * <p>Order: the geometric transforms (flip, zoom, shear, rotation, then translation, about the
 * image centre) are composed into one affine map; an elastic displacement field, if any, displaces
 * each output pixel before that map is inverted; each output pixel is then sampled once from the
 * source with bilinear interpolation ({@link Pixels#sampleBilinear}), reading {@code fill} outside
 * the image. Then contrast, brightness and noise, a clamp to [0, 1], and finally erasing.
 */
public final class Distorter {
    /** Gaussian kernels reach this many standard deviations (as scipy's gaussian_filter does). */
    private static final double TRUNCATE = 4.0;

    private Distorter() {
    }

    /**
     * A distorted copy of {@code img}; {@code img} is not changed.
     *
     * @param fill the value of points mapped from outside the image, in [0, 1]
     * @throws IllegalArgumentException if {@code img} does not hold height x width x channels values
     */
    public static float[] apply(float[] img, int height, int width, int channels, Distortion d, float fill) {
        if (height < 1 || width < 1 || (long) height * width * channels != img.length) {
            throw new IllegalArgumentException("expected " + height + "x" + width + "x" + channels + " = "
                    + ((long) height * width * channels) + " values, got " + img.length);
        }
        float[] out = d.geometricIdentity() ? img.clone() : warp(img, height, width, channels, d, fill);
        adjust(out, d);
        if (d.erase() != null) {
            erase(out, height, width, channels, d.erase());
        }
        return out;
    }

    private static float[] warp(float[] img, int height, int width, int channels, Distortion d, float fill) {
        double[] inverse = inverseAffine(d);
        double[][] field = d.elasticAlpha() == 0 ? null
                : elasticField(height, width, d.elasticAlpha(), d.elasticSigma(), d.elasticSeed());
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        float[] out = new float[img.length];
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                int p = r * width + c;
                // Output point relative to the centre, minus the translation, displaced elastically.
                double u = c - cx - d.translateX() + (field == null ? 0 : field[0][p]);
                double v = r - cy - d.translateY() + (field == null ? 0 : field[1][p]);
                float sx = (float) (cx + inverse[0] * u + inverse[1] * v);
                float sy = (float) (cy + inverse[2] * u + inverse[3] * v);
                for (int ch = 0; ch < channels; ch++) {
                    out[p * channels + ch] = Pixels.sampleBilinear(img, height, width, channels, ch, sy, sx, fill);
                }
            }
        }
        return out;
    }

    /**
     * The inverse, row-major {a, b, c, d}, of the linear part M = rotation · shear · zoom · flip that
     * maps a source point (relative to the centre) to its output point.
     */
    static double[] inverseAffine(Distortion d) {
        double t = Math.toRadians(d.rotate());
        double cos = Math.cos(t);
        double sin = Math.sin(t);
        double fx = d.flipHorizontal() ? -d.zoom() : d.zoom();
        double fy = d.flipVertical() ? -d.zoom() : d.zoom();
        double k = Math.tan(Math.toRadians(d.shear()));
        // shear · zoom · flip = [[fx, k fy], [0, fy]]; with y down, a counter-clockwise turn is
        // [[cos, sin], [-sin, cos]].
        double a = cos * fx;
        double b = cos * k * fy + sin * fy;
        double c = -sin * fx;
        double e = -sin * k * fy + cos * fy;
        double det = a * e - b * c;
        return new double[] {e / det, -b / det, -c / det, a / det};
    }

    /**
     * Simard et al. (2003): per pixel and axis a value uniform in [-1, 1], smoothed by a Gaussian of
     * standard deviation {@code sigma} and scaled by {@code alpha}. Returns {dx, dy}, row-major.
     */
    static double[][] elasticField(int height, int width, double alpha, double sigma, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = height * width;
        double[][] field = new double[2][n];
        for (double[] axis : field) {
            for (int i = 0; i < n; i++) {
                axis[i] = 2 * rng.nextDouble() - 1;
            }
        }
        double[] kernel = gaussianKernel(sigma);
        for (double[] axis : field) {
            blur(axis, height, width, kernel);
            for (int i = 0; i < n; i++) {
                axis[i] *= alpha;
            }
        }
        return field;
    }

    /** Normalised Gaussian weights for offsets -radius..radius, radius = round(TRUNCATE sigma). */
    static double[] gaussianKernel(double sigma) {
        int radius = Math.max(1, (int) (TRUNCATE * sigma + 0.5));
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable convolution in place, mirroring at the borders (scipy's "reflect" mode). */
    private static void blur(double[] a, int height, int width, double[] kernel) {
        int radius = kernel.length / 2;
        double[] tmp = new double[a.length];
        int[] cols = reflected(width, radius);
        for (int r = 0; r < height; r++) {
            int row = r * width;
            for (int c = 0; c < width; c++) {
                // Symmetric kernel: pair the taps at -j and +j.
                double s = kernel[radius] * a[row + c];
                for (int j = 1; j <= radius; j++) {
                    s += kernel[radius + j] * (a[row + cols[c + radius - j]] + a[row + cols[c + radius + j]]);
                }
                tmp[row + c] = s;
            }
        }
        int[] rows = reflected(height, radius);
        for (int r = 0; r < height; r++) {
            for (int c = 0; c < width; c++) {
                double s = kernel[radius] * tmp[r * width + c];
                for (int j = 1; j <= radius; j++) {
                    s += kernel[radius + j] * (tmp[rows[r + radius - j] * width + c]
                            + tmp[rows[r + radius + j] * width + c]);
                }
                a[r * width + c] = s;
            }
        }
    }

    /** For i in [-radius, n + radius), at i + radius: index i mirrored into [0, n) (... b a | a b c | c b ...). */
    private static int[] reflected(int n, int radius) {
        int[] out = new int[n + 2 * radius];
        int period = 2 * n;
        for (int i = -radius; i < n + radius; i++) {
            int m = Math.floorMod(i, period);
            out[i + radius] = m < n ? m : period - 1 - m;
        }
        return out;
    }

    /** Contrast around the mean, brightness, noise, then a clamp to [0, 1]; in place. */
    private static void adjust(float[] px, Distortion d) {
        if (d.contrast() != 1) {
            double sum = 0;
            for (float v : px) {
                sum += v;
            }
            float mean = (float) (sum / px.length);
            float k = (float) d.contrast();
            for (int i = 0; i < px.length; i++) {
                px[i] = (px[i] - mean) * k + mean;
            }
        }
        if (d.brightness() != 0) {
            float b = (float) d.brightness();
            for (int i = 0; i < px.length; i++) {
                px[i] += b;
            }
        }
        if (d.noise() > 0) {
            SplittableRandom rng = new SplittableRandom(d.noiseSeed());
            for (int i = 0; i < px.length; i += 2) {
                // Box–Muller: two standard normal values from two uniform ones.
                double radius = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * d.noise();
                double angle = 2 * Math.PI * rng.nextDouble();
                px[i] += (float) (radius * Math.cos(angle));
                if (i + 1 < px.length) {
                    px[i + 1] += (float) (radius * Math.sin(angle));
                }
            }
        }
        for (int i = 0; i < px.length; i++) {
            px[i] = Math.min(1f, Math.max(0f, px[i]));
        }
    }

    private static void erase(float[] px, int height, int width, int channels, Distortion.Erasure e) {
        int[] rect = e.rectangle(height, width);
        for (int r = rect[0]; r < rect[0] + rect[2]; r++) {
            for (int c = rect[1]; c < rect[1] + rect[3]; c++) {
                for (int ch = 0; ch < channels; ch++) {
                    px[(r * width + c) * channels + ch] = (float) e.value();
                }
            }
        }
    }
}
