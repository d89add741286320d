package io.foldwise.config;

import java.util.List;
import java.util.stream.Collectors;

/** A multi-layer perceptron: dense hidden layers of the given sizes (possibly none). */
public record MlpSpec(List<Integer> dense, Activation activation, double leakyAlpha) implements ArchitectureSpec {
    public MlpSpec {
        dense = List.copyOf(dense);
        Problems p = new Problems();
        ArchitectureSpec.checkDense(dense, "train.architecture.mlp", p);
        ArchitectureSpec.checkAlpha(leakyAlpha, "train.architecture", p);
        p.throwIfAny();
    }

    @Override
    public String describe() {
        return "mlp[" + dense.stream().map(String::valueOf).collect(Collectors.joining(",")) + "]/"
                + ArchitectureSpec.activationSuffix(activation, leakyAlpha);
    }

    @Override
    public void checkFits(ImageShape input, String key, Problems problems) {
        // Dense layers take any flattened input.
    }
}
