package io.foldwise.augment;

import io.foldwise.config.AugmentConfig;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The parameters of one augmented copy of an image, as drawn by {@link #draw} or given explicitly,
 * for {@link Distorter#apply} to carry out. Geometric transforms act around the image centre, in
 * pixel coordinates with x to the right and y down.
 *
 * @param rotate         degrees; positive turns the content counter-clockwise
 * @param translateX     pixels; positive moves the content right
 * @param translateY     pixels; positive moves the content down
 * @param zoom           scale factor; > 1 enlarges the content
 * @param shear          horizontal shear in degrees: a point moves right by tan(shear) times its
 *                       height below the centre
 * @param flipHorizontal mirror left-right
 * @param flipVertical   mirror top-bottom
 * @param elasticAlpha   scale of the elastic displacement field; 0 = no elastic distortion
 * @param elasticSigma   standard deviation (pixels) of the Gaussian smoothing the field
 * @param elasticSeed    seed of the field's random values
 * @param contrast       factor around the image's mean; 1 = unchanged
 * @param brightness     added to every value; 0 = unchanged
 * @param noise          standard deviation of the Gaussian noise added to every value; 0 = none
 * @param noiseSeed      seed of the noise
 * @param erase          the erased rectangle, or null for none
 */
public record Distortion(double rotate, double translateX, double translateY, double zoom, double shear,
                         boolean flipHorizontal, boolean flipVertical, double elasticAlpha, double elasticSigma,
                         long elasticSeed, double contrast, double brightness, double noise, long noiseSeed,
                         Erasure erase) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Leaves every image as it is. */
    public static final Distortion IDENTITY = new Distortion(0, 0, 0, 1, 0, false, false, 0, 1, 0, 1, 0, 0, 0, null);

    /**
     * A rectangle to erase, given relative to the image so that one draw fits any size: it covers
     * {@code area} of the image with height/width ratio {@code aspect}, and its top-left corner sits
     * a fraction {@code top} ({@code left}) of the way along the free rows (columns).
     */
    public record Erasure(double area, double aspect, double top, double left, double value) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** {row, column, height, width} of the rectangle in an image of {@code h} x {@code w} pixels. */
        int[] rectangle(int h, int w) {
            int eh = (int) Math.max(1, Math.min(h, Math.round(Math.sqrt(area * aspect * h * w))));
            int ew = (int) Math.max(1, Math.min(w, Math.round(Math.sqrt(area / aspect * h * w))));
            int row = (int) Math.min(h - eh, Math.floor(top * (h - eh + 1)));
            int col = (int) Math.min(w - ew, Math.floor(left * (w - ew + 1)));
            return new int[] {row, col, eh, ew};
        }
    }

    /** A copy with only these geometric transforms (all else identity), e.g. for tests. */
    public static Distortion geometric(double rotate, double translateX, double translateY, double zoom, double shear,
                                       boolean flipHorizontal, boolean flipVertical) {
        return new Distortion(rotate, translateX, translateY, zoom, shear, flipHorizontal, flipVertical, 0, 1, 0, 1, 0,
                0, 0, null);
    }

    /**
     * Draws copy {@code copy} of image {@code sourceId}: every parameter comes from one random
     * stream seeded by (config seed, source id, copy), always in the same order whichever transforms
     * are on, so the result does not depend on partitioning and turning one transform on or off
     * leaves the others' draws unchanged.
     */
    public static Distortion draw(AugmentConfig c, String sourceId, int copy) {
        SplittableRandom rng = new SplittableRandom(seed(c.seed(), sourceId, copy));
        double rotate = symmetric(rng, c.rotate());
        double tx = symmetric(rng, c.translateX());
        double ty = symmetric(rng, c.translateY());
        double zoom = c.zoom().at(rng.nextDouble());
        double shear = symmetric(rng, c.shear());
        boolean flipH = rng.nextDouble() < 0.5 && c.flipHorizontal();
        boolean flipV = rng.nextDouble() < 0.5 && c.flipVertical();
        boolean elastic = rng.nextDouble() < c.elastic().probability();
        long elasticSeed = rng.nextLong();
        double contrast = c.contrast().at(rng.nextDouble());
        double brightness = c.brightness().at(rng.nextDouble());
        long noiseSeed = rng.nextLong();
        boolean erase = rng.nextDouble() < c.erase().probability();
        double area = c.erase().area().at(rng.nextDouble());
        double logMin = Math.log(c.erase().aspect().min());
        double aspect = Math.exp(logMin + (Math.log(c.erase().aspect().max()) - logMin) * rng.nextDouble());
        double top = rng.nextDouble();
        double left = rng.nextDouble();
        return new Distortion(rotate, tx, ty, zoom, shear, flipH, flipV, elastic ? c.elastic().alpha() : 0,
                c.elastic().sigma(), elasticSeed, contrast, brightness, c.noise(), noiseSeed,
                erase ? new Erasure(area, aspect, top, left, c.erase().value()) : null);
    }

    /** Whether the geometric part (affine map and elastic field) leaves pixels where they are. */
    public boolean geometricIdentity() {
        return rotate == 0 && translateX == 0 && translateY == 0 && zoom == 1 && shear == 0 && !flipHorizontal
                && !flipVertical && elasticAlpha == 0;
    }

    /**
     * What this copy does, for the {@code augmentation} column: the transforms that change anything,
     * e.g. {@code rotate=-3.21 translate=1.05,-0.40 zoom=1.032 elastic=34/4 contrast=0.911}, or
     * {@code identity}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (rotate != 0) {
            parts.add(format("rotate=%.2f", rotate));
        }
        if (translateX != 0 || translateY != 0) {
            parts.add(format("translate=%.2f,%.2f", translateX, translateY));
        }
        if (zoom != 1) {
            parts.add(format("zoom=%.3f", zoom));
        }
        if (shear != 0) {
            parts.add(format("shear=%.2f", shear));
        }
        if (flipHorizontal) {
            parts.add("flipHorizontal");
        }
        if (flipVertical) {
            parts.add("flipVertical");
        }
        if (elasticAlpha != 0) {
            parts.add(format("elastic=%s/%s", AugmentConfig.plain(elasticAlpha),
                    AugmentConfig.plain(elasticSigma)));
        }
        if (contrast != 1) {
            parts.add(format("contrast=%.3f", contrast));
        }
        if (brightness != 0) {
            parts.add(format("brightness=%.3f", brightness));
        }
        if (noise != 0) {
            parts.add("noise=" + AugmentConfig.plain(noise));
        }
        if (erase != null) {
            parts.add(format("erase=%.3f@%.2f", erase.area(), erase.aspect()));
        }
        return parts.isEmpty() ? "identity" : String.join(" ", parts);
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    private static double symmetric(SplittableRandom rng, double max) {
        double u = rng.nextDouble();
        return max == 0 ? 0 : (2 * u - 1) * max;
    }

    /** The seed of one copy's random stream: a 64-bit mix of (seed, the id's UTF-8 bytes, copy). */
    static long seed(long seed, String sourceId, int copy) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        byte[] bytes = sourceId.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        h = mix(h ^ bytes.length);
        return mix(h + copy * 0xBF58476D1CE4E5B9L);
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
