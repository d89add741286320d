package io.foldwise.config;

import com.typesafe.config.ConfigValue;
import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The {@code augment} section: which distortions make the augmented copies of a training image,
 * and how strong each may be. Each copy draws its parameters uniformly from these ranges with a
 * random stream seeded by (seed, source image id, copy index), so the same config regenerates the
 * same pixels on any partitioning. Zero strength (0, [1, 1], [0, 0], probability 0) turns a
 * transform off. Augmentation applies to training rows only; see {@code io.foldwise.augment}.
 *
 * @param enabled        augment the training rows of {@code train}, of every sweep trial and of the
 *                       refit (a sweep grid may list {@code augment = [false, true]} instead)
 * @param copies         augmented copies per training image, kept next to the original (>= 1)
 * @param seed           seed of every random draw of the augmentation
 * @param rotate         rotation drawn from [-rotate, rotate] degrees, in [0, 180]
 * @param translateX     horizontal shift drawn from [-translateX, translateX] pixels, >= 0
 * @param translateY     vertical shift drawn from [-translateY, translateY] pixels, >= 0
 * @param zoom           scale factor range (> 1 enlarges the content), 0 < min <= max
 * @param shear          horizontal shear (slant) drawn from [-shear, shear] degrees, in [0, 90)
 * @param elastic        Simard et al. (2003) elastic distortion
 * @param brightness     value added to every pixel, range within [-1, 1]
 * @param contrast       factor applied around the image's mean, 0 <= min <= max
 * @param noise          standard deviation of Gaussian noise added to every value, >= 0
 * @param flipHorizontal mirror left-right with probability 1/2 (off: digits must not be mirrored)
 * @param flipVertical   mirror top-bottom with probability 1/2
 * @param erase          random erasing of a rectangle (Zhong et al. 2017)
 * @param fill           value of pixels that the geometric transforms bring in from outside the
 *                       image, in [0, 1] (0 = black, MNIST's background)
 */
public record AugmentConfig(boolean enabled, int copies, long seed, double rotate, double translateX,
                            double translateY, Range zoom, double shear, Elastic elastic, Range brightness,
                            Range contrast, double noise, boolean flipHorizontal, boolean flipVertical, Erase erase,
                            double fill) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A closed interval [min, max] that a parameter is drawn from uniformly. */
    public record Range(double min, double max) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The point a fraction {@code u} in [0, 1) of the way from min to max; exactly min when min == max. */
        public double at(double u) {
            return min == max ? min : min + (max - min) * u;
        }

        boolean within(double lo, double hi) {
            return min >= lo && min <= max && max <= hi;
        }

        @Override
        public String toString() {
            return "[" + plain(min) + ", " + plain(max) + "]";
        }
    }

    /**
     * Elastic distortion: a random displacement field, uniform in [-1, 1] per pixel and axis,
     * smoothed by a Gaussian of standard deviation {@code sigma} pixels and scaled by {@code alpha}.
     *
     * @param probability the chance that a copy is distorted elastically, in [0, 1]
     */
    public record Elastic(double alpha, double sigma, double probability) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Random erasing: with {@code probability}, a rectangle covering an {@code area} fraction of the
     * image with aspect ratio (height / width) in {@code aspect} (drawn log-uniformly) is set to
     * {@code value} in every channel.
     */
    public record Erase(double probability, Range area, Range aspect, double value) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The most copies per image: each one adds the whole training set once more. */
    public static final int MAX_COPIES = 1000;
    /** The widest elastic smoothing, in pixels; larger sigmas overflow the kernel's size. */
    public static final double MAX_SIGMA = 1000;

    public AugmentConfig {
        Problems p = new Problems();
        p.check(copies >= 1 && copies <= MAX_COPIES, "augment.copies", "be in [1, " + MAX_COPIES + "] (each copy "
                + "adds the whole training set once more)", copies);
        p.check(rotate >= 0 && rotate <= 180, "augment.rotate", "be in [0, 180] degrees", plain(rotate));
        p.check(translateX >= 0 && translateY >= 0 && Double.isFinite(translateX) && Double.isFinite(translateY),
                "augment.translate", "be >= 0 pixels (one number, or [x, y])",
                translateX == translateY ? plain(translateX) : "[" + plain(translateX) + ", " + plain(translateY) + "]");
        p.check(zoom.min() > 0 && zoom.within(0, Double.MAX_VALUE), "augment.zoom",
                "be [min, max] with 0 < min <= max", zoom);
        p.check(shear >= 0 && shear < 90, "augment.shear", "be in [0, 90) degrees", plain(shear));
        p.check(elastic.alpha() >= 0 && Double.isFinite(elastic.alpha()), "augment.elastic.alpha", "be >= 0",
                plain(elastic.alpha()));
        p.check(elastic.sigma() > 0 && elastic.sigma() <= MAX_SIGMA, "augment.elastic.sigma",
                "be in (0, " + (int) MAX_SIGMA + "] pixels (the smoothing kernel grows with sigma)",
                plain(elastic.sigma()));
        checkProbability(p, "augment.elastic.probability", elastic.probability());
        p.check(brightness.within(-1, 1), "augment.brightness", "be [min, max] with -1 <= min <= max <= 1",
                brightness);
        p.check(contrast.within(0, Double.MAX_VALUE), "augment.contrast", "be [min, max] with 0 <= min <= max",
                contrast);
        p.check(noise >= 0 && Double.isFinite(noise), "augment.noise", "be >= 0 (a standard deviation)", plain(noise));
        checkProbability(p, "augment.erase.probability", erase.probability());
        p.check(erase.area().min() > 0 && erase.area().within(0, 1), "augment.erase.area",
                "be [min, max] with 0 < min <= max <= 1 (fractions of the image)", erase.area());
        p.check(erase.aspect().min() > 0 && erase.aspect().within(0, Double.MAX_VALUE), "augment.erase.aspect",
                "be [min, max] with 0 < min <= max (height / width)", erase.aspect());
        p.check(erase.value() >= 0 && erase.value() <= 1, "augment.erase.value", "be in [0, 1]",
                plain(erase.value()));
        p.check(fill >= 0 && fill <= 1, "augment.fill", "be in [0, 1]", plain(fill));
        p.throwIfAny();
    }

    private static void checkProbability(Problems p, String key, double v) {
        p.check(v >= 0 && v <= 1, key, "be a probability in [0, 1]", plain(v));
    }

    /**
     * Reads and validates the {@code augment} section, recording every problem in {@code p};
     * null if there were any.
     */
    static AugmentConfig read(ConfigReader r, Problems p) {
        int before = p.messages().size();
        double[] translate = r.numberOrPair("augment.translate");
        AugmentConfig c = p.collect(() -> new AugmentConfig(r.bool("augment.enabled"), r.integer("augment.copies"),
                r.longValue("augment.seed"), r.number("augment.rotate"), translate[0], translate[1],
                range(r, "augment.zoom"), r.number("augment.shear"),
                new Elastic(r.number("augment.elastic.alpha"), r.number("augment.elastic.sigma"),
                        r.number("augment.elastic.probability")),
                range(r, "augment.brightness"), range(r, "augment.contrast"), r.number("augment.noise"),
                r.bool("augment.flipHorizontal"), r.bool("augment.flipVertical"),
                new Erase(r.number("augment.erase.probability"), range(r, "augment.erase.area"),
                        range(r, "augment.erase.aspect"), r.number("augment.erase.value")),
                r.number("augment.fill")));
        return p.messages().size() > before ? null : c;
    }

    private static Range range(ConfigReader r, String key) {
        double[] pair = r.pair(key);
        return new Range(pair[0], pair[1]);
    }

    /**
     * The on/off value a sweep grid lists for {@code augment}: a boolean, or the string "true" or
     * "false"; null for anything else.
     */
    public static Boolean flag(ConfigValue v) {
        return ConfigReader.booleanOf(v);
    }

    /** A number as a plain decimal without trailing zeros, for messages and descriptions. */
    public static String plain(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString()
                : String.valueOf(d);
    }
}
