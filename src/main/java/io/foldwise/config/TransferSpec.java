package io.foldwise.config;

import java.util.Optional;

/**
 * Where a network starts: from scratch (random initialisation of {@code train.architecture}), or
 * from a saved model whose hidden layers are kept, the first {@code freeze} of them fixed, and
 * whose output layer is replaced for the new classes.
 *
 * @param from   a run directory (a sweep run means its {@code best/} model), its {@code best/}, or a
 *               {@code model.zip} URI on any Hadoop file system; empty = from scratch
 * @param freeze leading blocks of the source architecture (a conv or pool block, a dense layer, as
 *               its config lists them) whose parameters stay fixed; {@link #ALL_BUT_OUTPUT} freezes
 *               every layer but the new output layer; 0 fine-tunes everything
 */
public record TransferSpec(Optional<String> from, int freeze) {
    /** {@link #freeze} value meaning every layer but the output layer. */
    public static final int ALL_BUT_OUTPUT = -1;
    /** How {@link #ALL_BUT_OUTPUT} is written in config. */
    public static final String ALL_BUT_OUTPUT_NAME = "all-but-output";
    /** The reference.conf default: from scratch. */
    public static final TransferSpec SCRATCH = new TransferSpec(Optional.empty(), 0);

    public TransferSpec {
        Problems p = new Problems();
        p.check(freeze >= 0 || freeze == ALL_BUT_OUTPUT, "train.transfer.freeze",
                "be a number of blocks >= 0 or " + ALL_BUT_OUTPUT_NAME, freeze);
        p.check(from.isPresent() || freeze == 0, "train.transfer.freeze",
                "be 0 without train.transfer.from (there is nothing to freeze when training from scratch)",
                freezeText(freeze));
        p.throwIfAny();
    }

    /** True when the network starts from a saved model. */
    public boolean fromSource() {
        return from.isPresent();
    }

    /** The number of leading layers to freeze in a network of {@code layers} layers (the last is the output). */
    public int frozenLayers(int layers) {
        return freeze == ALL_BUT_OUTPUT ? layers - 1 : freeze;
    }

    /** {@code scratch}, or {@code <from> freeze=<n|all-but-output>}: used in ids, tables and charts. */
    public String describe() {
        return from.map(f -> f + " freeze=" + freezeText(freeze)).orElse("scratch");
    }

    /** {@link #freeze} as config writes it: a number or {@code all-but-output}. */
    public String freezeText() {
        return freezeText(freeze);
    }

    static String freezeText(int freeze) {
        return freeze == ALL_BUT_OUTPUT ? ALL_BUT_OUTPUT_NAME : String.valueOf(freeze);
    }
}
