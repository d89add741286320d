package io.foldwise.config;

import java.util.OptionalDouble;

/**
 * The bias/variance diagnosis of the chosen model. Gaps are differences of error rates
 * (1 − accuracy), compared with the thresholds: a gap above its threshold is "large".
 *
 * @param baselineError     the error to compare training error with (human-level, a reference
 *                          model); empty = unknown, and only the variance gap is judged
 * @param biasThreshold     training error − baseline above this is high bias
 * @param varianceThreshold cross-validation error − training error above this is high variance
 */
public record DiagnosisConfig(OptionalDouble baselineError, double biasThreshold, double varianceThreshold) {
    public DiagnosisConfig {
        Problems p = new Problems();
        baselineError.ifPresent(b -> p.check(b >= 0 && b <= 1, "diagnosis.baselineError",
                "be an error rate in [0, 1] (or null when unknown)", b));
        p.check(biasThreshold >= 0 && Double.isFinite(biasThreshold), "diagnosis.biasThreshold", "be >= 0",
                biasThreshold);
        p.check(varianceThreshold >= 0 && Double.isFinite(varianceThreshold), "diagnosis.varianceThreshold",
                "be >= 0", varianceThreshold);
        p.throwIfAny();
    }
}
