package io.foldwise.config;

import java.util.Locale;

/** One block of a CNN's feature extractor: a convolution or a pooling layer. */
public sealed interface CnnBlock permits CnnBlock.Conv, CnnBlock.Pool {

    int kernel();

    int stride();

    /** Output side length for an input side, or a value below 1 if the block does not fit. */
    int outputSide(int inputSide);

    String describe();

    /**
     * A square convolution.
     *
     * @param activation the block's activation, or null to use the architecture's
     */
    record Conv(int filters, int kernel, int stride, int padding, Activation activation) implements CnnBlock {
        @Override
        public int outputSide(int inputSide) {
            int padded = inputSide + 2 * padding;
            return padded < kernel ? 0 : (padded - kernel) / stride + 1;
        }

        @Override
        public String describe() {
            return "conv" + filters + "@" + kernel + "x" + kernel + (stride != 1 ? "s" + stride : "")
                    + (padding != 0 ? "p" + padding : "")
                    + (activation != null ? ":" + activation.name().toLowerCase(Locale.ROOT) : "");
        }
    }

    /** A square pooling window. */
    record Pool(PoolType type, int kernel, int stride) implements CnnBlock {
        @Override
        public int outputSide(int inputSide) {
            return inputSide < kernel ? 0 : (inputSide - kernel) / stride + 1;
        }

        @Override
        public String describe() {
            return type.name().toLowerCase(Locale.ROOT) + "pool" + kernel + "x" + kernel
                    + (stride != kernel ? "s" + stride : "");
        }
    }
}
