package io.foldwise.config;

/**
 * Successive halving over folds and epochs ({@code sweep.halving}), used when
 * {@code sweep.schedule = halving}: rung 0 trains every candidate on {@code minFolds} folds for
 * {@code minEpochs} epochs; each next rung keeps the best 1/η and multiplies both budgets by η,
 * capped at k folds and {@code train.epochs}, until the survivors have both in full.
 *
 * @param eta       the reduction factor η (>= 2)
 * @param minEpochs epochs of rung 0 (>= 1)
 * @param minFolds  folds of rung 0 (>= 1)
 */
public record HalvingConfig(int eta, int minEpochs, int minFolds) {
    public HalvingConfig {
        Problems p = new Problems();
        p.check(eta >= 2, "sweep.halving.eta", "be >= 2", eta);
        p.check(minEpochs >= 1, "sweep.halving.minEpochs", "be >= 1", minEpochs);
        p.check(minFolds >= 1, "sweep.halving.minFolds", "be >= 1", minFolds);
        p.throwIfAny();
    }
}
