package io.foldwise.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PixelsTest {
    private static final float EPS = 1e-6f;

    @Test
    void decodesGrayBytesAsUnsigned() {
        byte[] data = {0, (byte) 128, (byte) 255, 51};
        assertThat(Pixels.fromImageBytes(data, 2, 2, 1))
                .containsExactly(new float[] {0f, 128 / 255f, 1f, 0.2f}, within(EPS));
    }

    @Test
    void decodesBgrAndBgraToRgbDroppingAlpha() {
        // Two pixels, BGR: (b=0, g=128, r=255) and (b=30, g=20, r=10).
        byte[] bgr = {0, (byte) 128, (byte) 255, 30, 20, 10};
        float[] expected = {1f, 128 / 255f, 0f, 10 / 255f, 20 / 255f, 30 / 255f};
        assertThat(Pixels.fromImageBytes(bgr, 1, 2, 3)).containsExactly(expected, within(EPS));
        byte[] bgra = {0, (byte) 128, (byte) 255, 7, 30, 20, 10, (byte) 200};
        assertThat(Pixels.fromImageBytes(bgra, 1, 2, 4)).containsExactly(expected, within(EPS));
    }

    @Test
    void rejectsBytesThatDoNotMatchTheShape() {
        assertThatThrownBy(() -> Pixels.fromImageBytes(new byte[5], 2, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2x2x1");
    }

    @Test
    void bilinearSampleInterpolatesBetweenPixelCentresAndClampsAtTheBorder() {
        // 2x2 gray: [[0, 1], [2, 3]]
        float[] img = {0f, 1f, 2f, 3f};
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 0f, 0f)).isEqualTo(0f);
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 0f, 0.5f)).isCloseTo(0.5f, within(EPS));
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 0.5f, 0.5f)).isCloseTo(1.5f, within(EPS));
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 1f, 0.25f)).isCloseTo(2.25f, within(EPS));
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, -3f, 9f)).isEqualTo(1f);
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 5f, -1f, -7f)).isEqualTo(-7f);
        assertThat(Pixels.sampleBilinear(img, 2, 2, 1, 0, 0.5f, 0.5f, -7f)).isCloseTo(1.5f, within(EPS));
    }

    @Test
    void bilinearSampleReadsTheRequestedChannel() {
        // 1x2 RGB: (0, 10, 20), (2, 30, 40)
        float[] img = {0f, 10f, 20f, 2f, 30f, 40f};
        assertThat(Pixels.sampleBilinear(img, 1, 2, 3, 1, 0f, 0.5f)).isCloseTo(20f, within(EPS));
        assertThat(Pixels.sampleBilinear(img, 1, 2, 3, 2, 0f, 0.25f)).isCloseTo(25f, within(EPS));
    }

    @Test
    void upscalingAlignsPixelCentres() {
        // 1x2 -> 1x4: output x = (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25, 0.75, 1.
        float[] out = Pixels.resizeBilinear(new float[] {0f, 1f}, 1, 2, 1, 1, 4);
        assertThat(out).containsExactly(new float[] {0f, 0.25f, 0.75f, 1f}, within(EPS));
    }

    @Test
    void downscalingByTwoAveragesEachBlock() {
        // 4x4 -> 2x2 samples at 0.5 and 2.5: the mean of each 2x2 block.
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i;
        }
        float[] out = Pixels.resizeBilinear(img, 4, 4, 1, 2, 2);
        assertThat(out).containsExactly(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, within(EPS));
    }

    @Test
    void resizeKeepsAConstantImageConstantPerChannel() {
        float[] img = new float[5 * 3 * 3];
        for (int i = 0; i < img.length; i += 3) {
            img[i] = 0.2f;
            img[i + 1] = 0.5f;
            img[i + 2] = 0.9f;
        }
        float[] out = Pixels.resizeBilinear(img, 5, 3, 3, 7, 4);
        assertThat(out).hasSize(7 * 4 * 3);
        for (int i = 0; i < out.length; i += 3) {
            assertThat(new float[] {out[i], out[i + 1], out[i + 2]})
                    .containsExactly(new float[] {0.2f, 0.5f, 0.9f}, within(EPS));
        }
    }

    @Test
    void resizeToTheSameSizeIsACopy() {
        float[] img = {0.1f, 0.2f, 0.3f, 0.4f};
        float[] out = Pixels.resizeBilinear(img, 2, 2, 1, 2, 2);
        assertThat(out).containsExactly(img).isNotSameAs(img);
    }

    @Test
    void grayAndRgbConvert() {
        assertThat(Pixels.grayToRgb(new float[] {0.25f, 1f}, 1, 2))
                .containsExactly(0.25f, 0.25f, 0.25f, 1f, 1f, 1f);
        float[] rgb = {1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0.5f, 0.5f, 0.5f};
        assertThat(Pixels.rgbToGray(rgb, 2, 2))
                .containsExactly(new float[] {0.299f, 0.587f, 0.114f, 0.5f}, within(EPS));
        assertThat(Pixels.convertChannels(new float[] {0.5f}, 1, 1, 1, 3)).containsExactly(0.5f, 0.5f, 0.5f);
        assertThatThrownBy(() -> Pixels.convertChannels(new float[4], 1, 1, 4, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
