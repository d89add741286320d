package io.foldwise.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ConfigLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pixel work of augmentation: each transform, composition, channels, bounds and determinism. */
class DistorterTest {
    private static final float EPS = 1e-5f;

    /** Every transform at zero strength. */
    private static final List<String> OFF = List.of("augment.rotate=0", "augment.translate=0", "augment.zoom=[1, 1]",
            "augment.shear=0", "augment.elastic.alpha=0", "augment.elastic.probability=1", "augment.brightness=[0, 0]",
            "augment.contrast=[1, 1]", "augment.noise=0", "augment.erase.probability=0");

    /** The augment section with every transform off, then {@code overrides}. */
    static AugmentConfig config(String... overrides) {
        List<String> all = new ArrayList<>(OFF);
        all.addAll(List.of(overrides));
        return ConfigLoader.load(null, all).augment();
    }

    /** A 28x28 gray image with an asymmetric, digit-like stroke pattern on black. */
    static float[] digit() {
        float[] img = new float[28 * 28];
        for (int r = 6; r < 22; r++) {
            img[r * 28 + 9] = 0.9f;                        // a vertical stroke
            img[r * 28 + 10] = 0.5f;
        }
        for (int c = 9; c < 20; c++) {
            img[6 * 28 + c] = 1f;                          // a bar at the top: a "7"-ish figure
        }
        for (int r = 14; r < 18; r++) {
            img[r * 28 + 16] = 0.7f;
        }
        return img;
    }

    static float[] random(int n, long seed) {
        Random rng = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextFloat();
        }
        return a;
    }

    static Stream<Arguments> transforms() {
        return Stream.of(
                Arguments.of("rotate", "augment.rotate=0", "augment.rotate=30"),
                Arguments.of("translate", "augment.translate=0", "augment.translate=3"),
                Arguments.of("translate x/y", "augment.translate=[0,0]", "augment.translate=[0,3]"),
                Arguments.of("zoom", "augment.zoom=[1,1]", "augment.zoom=[1.3,1.4]"),
                Arguments.of("shear", "augment.shear=0", "augment.shear=25"),
                Arguments.of("elastic", "augment.elastic.alpha=0", "augment.elastic.alpha=34"),
                Arguments.of("brightness", "augment.brightness=[0,0]", "augment.brightness=[-0.3,-0.2]"),
                Arguments.of("contrast", "augment.contrast=[1,1]", "augment.contrast=[0.4,0.5]"),
                Arguments.of("noise", "augment.noise=0", "augment.noise=0.2"),
                Arguments.of("erase", "augment.erase.value=1", "augment.erase.probability=1 augment.erase.value=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transforms")
    void eachTransformIsTheIdentityAtZeroStrengthAndChangesTheImageOtherwise(String name, String zero, String on) {
        float[] img = digit();
        AugmentConfig off = config(zero.split(" "));
        AugmentConfig strong = config(on.split(" "));
        for (int copy = 1; copy <= 10; copy++) {
            Distortion d = Distortion.draw(off, "7/00042.png", copy);
            assertThat(Distorter.apply(img, 28, 28, 1, d, 0f)).as("%s at zero strength, copy %d", name, copy)
                    .containsExactly(img);
            assertThat(d.describe()).isEqualTo("identity");
            Distortion s = Distortion.draw(strong, "7/00042.png", copy);
            assertThat(Arrays.equals(Distorter.apply(img, 28, 28, 1, s, 0f), img))
                    .as("%s switched on changes copy %d (%s)", name, copy, s.describe()).isFalse();
            assertThat(s.describe()).isNotEqualTo("identity");
        }
    }

    @Test
    void translatingByOnePixelMovesAPixelByOne() {
        float[] img = new float[5 * 5];
        img[2 * 5 + 1] = 0.8f;                            // row 2, column 1
        float[] right = Distorter.apply(img, 5, 5, 1, Distortion.geometric(0, 1, 0, 1, 0, false, false), 0f);
        assertThat(right[2 * 5 + 2]).isCloseTo(0.8f, within(EPS));
        assertThat(right[2 * 5 + 1]).isZero();
        assertThat(sum(right)).isCloseTo(0.8f, within(EPS));
        float[] down = Distorter.apply(img, 5, 5, 1, Distortion.geometric(0, 0, 1, 1, 0, false, false), 0f);
        assertThat(down[3 * 5 + 1]).isCloseTo(0.8f, within(EPS));
        assertThat(sum(down)).isCloseTo(0.8f, within(EPS));
    }

    @Test
    void translationBringsInTheFillValue() {
        float[] img = new float[4 * 4];
        Arrays.fill(img, 0.5f);
        float[] out = Distorter.apply(img, 4, 4, 1, Distortion.geometric(0, 2, 0, 1, 0, false, false), 1f);
        for (int r = 0; r < 4; r++) {
            assertThat(out[r * 4]).isEqualTo(1f);
            assertThat(out[r * 4 + 1]).isEqualTo(1f);
            assertThat(out[r * 4 + 2]).isEqualTo(0.5f);
        }
    }

    @Test
    void rotatingByNinetyDegreesTurnsTheImageCounterClockwise() {
        for (int n : new int[] {5, 6}) {
            float[] img = random(n * n, n);
            float[] out = Distorter.apply(img, n, n, 1, Distortion.geometric(90, 0, 0, 1, 0, false, false), 0f);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    // numpy's rot90: out[r][c] = in[c][n - 1 - r]
                    assertThat(out[r * n + c]).as("n=%d (%d, %d)", n, r, c)
                            .isCloseTo(img[c * n + (n - 1 - r)], within(EPS));
                }
            }
        }
    }

    @Test
    void flippingTwiceIsTheIdentityAndOnceMirrors() {
        int h = 4;
        int w = 7;
        float[] img = random(h * w * 3, 3);
        Distortion flipH = Distortion.geometric(0, 0, 0, 1, 0, true, false);
        Distortion flipV = Distortion.geometric(0, 0, 0, 1, 0, false, true);
        float[] once = Distorter.apply(img, h, w, 3, flipH, 0f);
        assertThat(once[(1 * w + 0) * 3 + 2]).isEqualTo(img[(1 * w + (w - 1)) * 3 + 2]);
        assertThat(Arrays.equals(once, img)).isFalse();
        assertThat(Distorter.apply(once, h, w, 3, flipH, 0f)).containsExactly(img);
        float[] vertical = Distorter.apply(img, h, w, 3, flipV, 0f);
        assertThat(vertical[(0 * w + 3) * 3 + 1]).isEqualTo(img[((h - 1) * w + 3) * 3 + 1]);
        assertThat(Distorter.apply(vertical, h, w, 3, flipV, 0f)).containsExactly(img);
    }

    @Test
    void flipsAreOffByDefaultAndHappenHalfTheTimeWhenOn() {
        AugmentConfig defaults = ConfigLoader.load(null, List.of()).augment();
        assertThat(defaults.flipHorizontal()).isFalse();
        assertThat(defaults.flipVertical()).isFalse();
        AugmentConfig on = config("augment.flipHorizontal=true");
        long flipped = java.util.stream.IntStream.rangeClosed(1, 400)
                .filter(k -> Distortion.draw(on, "a", k).flipHorizontal()).count();
        assertThat(flipped).isBetween(150L, 250L);
        assertThat(java.util.stream.IntStream.rangeClosed(1, 400)
                .noneMatch(k -> Distortion.draw(defaults, "a", k).flipHorizontal())).isTrue();
    }

    @Test
    void valuesStayInZeroOneUnderStrongSettings() {
        AugmentConfig strong = config("augment.rotate=180", "augment.translate=10", "augment.zoom=[0.3, 3]",
                "augment.shear=80", "augment.elastic.alpha=300", "augment.elastic.sigma=2",
                "augment.brightness=[-1, 1]", "augment.contrast=[0, 5]", "augment.noise=1",
                "augment.erase.probability=0.5", "augment.erase.value=1", "augment.fill=1");
        for (int channels : new int[] {1, 3}) {
            float[] img = random(28 * 28 * channels, channels);
            boolean changed = false;
            for (int copy = 1; copy <= 100; copy++) {
                float[] out = Distorter.apply(img, 28, 28, channels, Distortion.draw(strong, "x", copy), 1f);
                assertThat(out).hasSize(img.length);
                for (float v : out) {
                    assertThat(v).isBetween(0f, 1f);
                }
                changed |= !Arrays.equals(out, img);
            }
            assertThat(changed).isTrue();
        }
    }

    @Test
    void threeChannelsAreWarpedAlikeAsThreeGrayImages() {
        int h = 12;
        int w = 10;
        float[][] planes = {random(h * w, 1), random(h * w, 2), random(h * w, 3)};
        float[] rgb = new float[h * w * 3];
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 3; c++) {
                rgb[p * 3 + c] = planes[c][p];
            }
        }
        AugmentConfig geometric = config("augment.rotate=20", "augment.translate=2", "augment.zoom=[0.8, 1.2]",
                "augment.shear=10", "augment.elastic.alpha=20", "augment.elastic.sigma=3",
                "augment.brightness=[-0.1, 0.1]");
        for (int copy = 1; copy <= 5; copy++) {
            Distortion d = Distortion.draw(geometric, "rgb", copy);
            float[] out = Distorter.apply(rgb, h, w, 3, d, 0f);
            for (int c = 0; c < 3; c++) {
                float[] gray = Distorter.apply(planes[c], h, w, 1, d, 0f);
                for (int p = 0; p < h * w; p++) {
                    assertThat(out[p * 3 + c]).isEqualTo(gray[p]);
                }
            }
        }
    }

    @Test
    void drawsDependOnlyOnSeedSourceIdAndCopy() {
        AugmentConfig c = ConfigLoader.load(null, List.of("augment.noise=0.05")).augment();
        AugmentConfig otherSeed = ConfigLoader.load(null, List.of("augment.noise=0.05", "augment.seed=7")).augment();
        float[] img = digit();
        assertThat(Distortion.draw(c, "3/001.png", 2)).isEqualTo(Distortion.draw(c, "3/001.png", 2));
        assertThat(Distorter.apply(img, 28, 28, 1, Distortion.draw(c, "3/001.png", 2), 0f))
                .containsExactly(Distorter.apply(img, 28, 28, 1, Distortion.draw(c, "3/001.png", 2), 0f));
        assertThat(Distortion.draw(c, "3/001.png", 1)).isNotEqualTo(Distortion.draw(c, "3/001.png", 2));
        assertThat(Distortion.draw(c, "3/002.png", 2)).isNotEqualTo(Distortion.draw(c, "3/001.png", 2));
        assertThat(Distortion.draw(otherSeed, "3/001.png", 2)).isNotEqualTo(Distortion.draw(c, "3/001.png", 2));
    }

    @Test
    void turningOneTransformOnLeavesTheOthersDrawsAlone() {
        Distortion base = Distortion.draw(config("augment.rotate=15"), "id", 1);
        Distortion withNoise = Distortion.draw(config("augment.rotate=15", "augment.noise=0.1"), "id", 1);
        assertThat(withNoise.rotate()).isEqualTo(base.rotate()).isNotZero();
        assertThat(withNoise.noise()).isEqualTo(0.1);
    }

    @Test
    void elasticFieldIsSmoothAndScaledByAlpha() {
        double[][] small = Distorter.elasticField(28, 28, 1, 4, 9);
        double[][] large = Distorter.elasticField(28, 28, 34, 4, 9);
        for (int i = 0; i < small[0].length; i++) {
            assertThat(large[0][i]).isCloseTo(34 * small[0][i], within(1e-9));
        }
        // Smoothing: neighbouring displacements are much closer than independent uniform values would be.
        double step = 0;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 27; c++) {
                step += Math.abs(small[0][r * 28 + c + 1] - small[0][r * 28 + c]);
            }
        }
        assertThat(step / (28 * 27)).isLessThan(0.05);
        assertThat(Distorter.gaussianKernel(4)).hasSize(33);
    }

    @Test
    void elasticFieldIsUniformNoiseBlurredByAGaussianWithMirroredBorders() {
        int h = 9;
        int w = 13;
        double sigma = 2.5;
        double[][] field = Distorter.elasticField(h, w, 3, sigma, 77);
        // The reference: the same uniform values, blurred by a direct 2-D sum (scipy's gaussian_filter,
        // mode "reflect", truncate 4), times alpha.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(77);
        double[][] raw = new double[2][h * w];
        for (double[] axis : raw) {
            for (int i = 0; i < h * w; i++) {
                axis[i] = 2 * rng.nextDouble() - 1;
            }
        }
        int radius = (int) (4 * sigma + 0.5);
        double norm = 0;
        for (int j = -radius; j <= radius; j++) {
            norm += Math.exp(-0.5 * j * j / (sigma * sigma));
        }
        for (int a = 0; a < 2; a++) {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    double s = 0;
                    for (int i = -radius; i <= radius; i++) {
                        for (int j = -radius; j <= radius; j++) {
                            double weight = Math.exp(-0.5 * (i * i + j * j) / (sigma * sigma)) / (norm * norm);
                            s += weight * raw[a][mirror(r + i, h) * w + mirror(c + j, w)];
                        }
                    }
                    assertThat(field[a][r * w + c]).isCloseTo(3 * s, within(1e-12));
                }
            }
        }
    }

    private static int mirror(int i, int n) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - i - 1;
        }
        return i;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
