package io.foldwise.config;

import java.math.BigDecimal;

/**
 * Early stopping on J_cv per epoch ({@code train.earlyStopping}): training stops once J_cv has not
 * improved by more than {@code minDelta} for {@code patience} epochs in a row, and the network keeps
 * the parameters of its best epoch. Needs a validation set (a sweep trial's fold, {@code train}'s
 * validation split); a fit without one (the refit) trains all its epochs.
 *
 * @param patience epochs without improvement before stopping; 0 = off
 * @param minDelta how much J_cv must fall to count as an improvement (>= 0)
 */
public record EarlyStopping(int patience, double minDelta) {
    /** Off: every fit trains all of {@code train.epochs}. */
    public static final EarlyStopping OFF = new EarlyStopping(0, 0);

    public EarlyStopping {
        Problems p = new Problems();
        p.check(patience >= 0, "train.earlyStopping.patience", "be >= 0 (0 = off)", patience);
        p.check(minDelta >= 0 && Double.isFinite(minDelta), "train.earlyStopping.minDelta", "be a number >= 0",
                minDelta);
        p.throwIfAny();
    }

    /** True when training may stop before {@code train.epochs}. */
    public boolean enabled() {
        return patience > 0;
    }

    /** {@code patience=3,minDelta=0.001}, or {@code off}: the canonical rendering in grid labels and ids. */
    public String describe() {
        return enabled() ? "patience=" + patience + ",minDelta="
                + BigDecimal.valueOf(minDelta).stripTrailingZeros().toPlainString() : "off";
    }
}
