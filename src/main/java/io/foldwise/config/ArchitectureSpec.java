package io.foldwise.config;

import java.util.List;
import java.util.Locale;

/**
 * A network architecture: an MLP (dense hidden layers) or a CNN (conv/pool blocks, then dense
 * layers). The output layer is implied by the number of classes.
 */
public sealed interface ArchitectureSpec permits MlpSpec, CnnSpec {

    /** Dense hidden layer sizes, in order (after any conv/pool blocks). */
    List<Integer> dense();

    /** Default activation of hidden layers. */
    Activation activation();

    /** Negative slope for {@link Activation#LEAKYRELU}. */
    double leakyAlpha();

    /** Short stable text, e.g. {@code mlp[128,64]/relu}; used in ids, tables and charts. */
    String describe();

    /**
     * Checks the spec against an input shape: every kernel fits its input and no pool reduces a
     * side below 1. Problems are recorded under {@code key}.
     */
    void checkFits(ImageShape input, String key, Problems problems);

    /** Validates the layer sizes shared by both kinds. */
    static void checkDense(List<Integer> dense, String key, Problems p) {
        for (int i = 0; i < dense.size(); i++) {
            p.check(dense.get(i) >= 1, key + "[" + i + "]", "be >= 1 unit", dense.get(i));
        }
    }

    static void checkAlpha(double leakyAlpha, String key, Problems p) {
        p.check(leakyAlpha >= 0 && leakyAlpha < 1, key + ".leakyAlpha", "be in [0, 1)", leakyAlpha);
    }

    static String activationSuffix(Activation activation, double leakyAlpha) {
        String name = activation.name().toLowerCase(Locale.ROOT);
        return activation == Activation.LEAKYRELU ? name + "(" + leakyAlpha + ")" : name;
    }
}
