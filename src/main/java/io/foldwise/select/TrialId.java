package io.foldwise.select;

import java.math.BigDecimal;

/**
 * The stable identity of one trial: a grid point trained on one fold's training part (or a
 * fraction of it) and evaluated on that fold. Its {@link #value()} names the trial's directory.
 *
 * @param pointId  the grid point's id
 * @param repeat   the repeat of k-fold cross-validation ({@code sweep.repeats}), 0 for the first
 * @param fold     the validation fold, in [0, k)
 * @param fraction the fraction of the fold's training part trained on, in (0, 1]
 * @param epochs   the epoch budget of a successive-halving rung below the point's own
 *                 {@code train.epochs}; 0 = the point's own
 */
public record TrialId(String pointId, int repeat, int fold, double fraction, int epochs) {
    /** A trial of the first (or only) repeat. */
    public TrialId(String pointId, int fold, double fraction) {
        this(pointId, 0, fold, fraction, 0);
    }

    /** A trial with the point's own epochs. */
    public TrialId(String pointId, int repeat, int fold, double fraction) {
        this(pointId, repeat, fold, fraction, 0);
    }

    public TrialId {
        if (epochs < 0) {
            throw new IllegalArgumentException("trial epoch budget must be >= 0, got " + epochs);
        }
        if (repeat < 0) {
            throw new IllegalArgumentException("trial repeat must be >= 0, got " + repeat);
        }
        if (pointId == null || !pointId.matches("[0-9a-zA-Z]+")) {
            throw new IllegalArgumentException("trial pointId must be letters and digits, got " + pointId);
        }
        if (fold < 0) {
            throw new IllegalArgumentException("trial fold must be >= 0, got " + fold);
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("trial fraction must be in (0, 1], got " + fraction);
        }
    }

    /**
     * {@code <pointId>-f<fold>-p<fraction in thousandths>}, e.g. {@code 3fa9c1d2e4b5-f2-p250} for
     * fold 2 at 0.25 and {@code ...-p1000} at 1.0; digits beyond thousandths follow an underscore
     * ({@code p12_5} for 0.0125), so distinct fractions never share an id. A later repeat adds
     * {@code -r<repeat>} after the point id ({@code 3fa9c1d2e4b5-r1-f2-p1000}); repeat 0 adds nothing,
     * so plain k-fold ids stay what they always were. A successive-halving rung trained for fewer
     * epochs than the point's own adds {@code -e<epochs>} at the end, so rungs never share an id.
     */
    public String value() {
        String permille = BigDecimal.valueOf(fraction).movePointRight(3).stripTrailingZeros().toPlainString();
        return pointId + (repeat > 0 ? "-r" + repeat : "") + "-f" + fold + "-p" + permille.replace('.', '_')
                + (epochs > 0 ? "-e" + epochs : "");
    }

    @Override
    public String toString() {
        return value();
    }
}
