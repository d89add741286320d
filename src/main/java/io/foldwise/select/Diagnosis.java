package io.foldwise.select;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.foldwise.config.DiagnosisConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The bias/variance diagnosis of the chosen point, as the method states it: compare the training
 * error with a baseline error (bias gap) and the cross-validation error with the training error
 * (variance gap); a gap above its threshold is large. Gaps are taken on error rates (1 − accuracy,
 * means over folds) so that they are comparable with a baseline error; the data losses J_train
 * and J_cv are reported alongside. The learning curve adds evidence: whether J_cv still falls
 * between the two largest training-set sizes.
 *
 * @param baselineError   empty when unknown
 * @param biasGap         training error − baseline; empty when the baseline is unknown
 * @param varianceGap     cross-validation error − training error
 * @param highBias        empty when the baseline is unknown (bias not judged)
 * @param biasRemedies    the method's remedies for high bias, when it is high
 * @param varianceRemedies the method's remedies for high variance, when it is high
 * @param learningCurve   evidence from the two largest completed training-set sizes, if any
 * @param notes           caveats, such as an unknown baseline
 */
public record Diagnosis(String pointId, String label, double trainError, double cvError, double jTrain, double jCv,
                        OptionalDouble baselineError, OptionalDouble biasGap, double varianceGap,
                        double biasThreshold, double varianceThreshold, Optional<Boolean> highBias,
                        boolean highVariance, Verdict verdict, List<String> biasRemedies,
                        List<String> varianceRemedies, Optional<CurveEvidence> learningCurve, List<String> notes) {

    /** Remedies for high bias, as the method lists them. */
    public static final List<String> HIGH_BIAS_REMEDIES = List.of("a bigger network", "more features",
            "smaller λ (train.l2)");
    /** Remedies for high variance, as the method lists them. */
    public static final List<String> HIGH_VARIANCE_REMEDIES = List.of("more data", "data augmentation",
            "larger λ (train.l2)", "a smaller network");
    /** J_cv counts as still falling if it dropped by more than this fraction between the last two sizes. */
    public static final double RELATIVE_DROP = 0.01;

    public Diagnosis {
        biasRemedies = List.copyOf(biasRemedies);
        varianceRemedies = List.copyOf(varianceRemedies);
        notes = List.copyOf(notes);
    }

    /** The verdict. With an unknown baseline it is HIGH_VARIANCE or NEITHER (bias not judged). */
    public enum Verdict {
        HIGH_BIAS, HIGH_VARIANCE, BOTH, NEITHER
    }

    /**
     * What the learning curve's two largest completed sizes show.
     *
     * @param jCvStillFalling J_cv dropped by more than {@link #RELATIVE_DROP} of its previous value
     * @param gapLast         J_cv − J_train at the largest size
     * @param reading         one sentence interpreting it
     */
    public record CurveEvidence(double previousFraction, double lastFraction, double previousTrainSize,
                                double lastTrainSize, double jCvPrevious, double jCvLast, double jTrainLast,
                                double gapLast, boolean jCvStillFalling, String reading) {
    }

    /**
     * Diagnoses the chosen leaderboard row.
     *
     * @param curve the chosen point's learning curve, if one was drawn
     * @throws IllegalArgumentException if the row has no completed fold
     */
    public static Diagnosis of(Leaderboard.Row chosen, DiagnosisConfig config, Optional<LearningCurve> curve) {
        if (!chosen.choosable()) {
            throw new IllegalArgumentException("grid point " + chosen.point().id() + " has no completed fold");
        }
        double trainError = chosen.trainError().mean();
        double cvError = chosen.cvError().mean();
        double varianceGap = cvError - trainError;
        boolean highVariance = varianceGap > config.varianceThreshold();
        List<String> notes = new ArrayList<>();
        OptionalDouble biasGap = OptionalDouble.empty();
        Optional<Boolean> highBias = Optional.empty();
        if (config.baselineError().isPresent()) {
            biasGap = OptionalDouble.of(trainError - config.baselineError().getAsDouble());
            highBias = Optional.of(biasGap.getAsDouble() > config.biasThreshold());
        } else {
            notes.add("baseline error unknown, so bias is not judged and only the variance gap is: set "
                    + "diagnosis.baselineError to human-level error or a reference model's error");
        }
        boolean bias = highBias.orElse(false);
        Verdict verdict = bias && highVariance ? Verdict.BOTH : bias ? Verdict.HIGH_BIAS
                : highVariance ? Verdict.HIGH_VARIANCE : Verdict.NEITHER;
        if (verdict == Verdict.BOTH) {
            notes.add("high bias and high variance at once: some remedies pull in opposite directions "
                    + "(network size, λ); more data and augmentation address variance without adding bias");
        }
        Optional<CurveEvidence> evidence = curve.flatMap(c -> evidence(c, bias, highVariance));
        if (evidence.isEmpty()) {
            notes.add("no learning-curve evidence: fewer than two training-set sizes completed");
        }
        return new Diagnosis(chosen.point().id(), chosen.point().label(), trainError, cvError, chosen.jTrain().mean(),
                chosen.jCv().mean(), config.baselineError(), biasGap, varianceGap, config.biasThreshold(),
                config.varianceThreshold(), highBias, highVariance, verdict,
                bias ? HIGH_BIAS_REMEDIES : List.of(), highVariance ? HIGH_VARIANCE_REMEDIES : List.of(), evidence,
                notes);
    }

    private static Optional<CurveEvidence> evidence(LearningCurve curve, boolean highBias, boolean highVariance) {
        List<LearningCurve.Row> rows = curve.completedRows();
        if (rows.size() < 2) {
            return Optional.empty();
        }
        LearningCurve.Row prev = rows.get(rows.size() - 2);
        LearningCurve.Row last = rows.get(rows.size() - 1);
        double before = prev.jCv().mean();
        double after = last.jCv().mean();
        boolean falling = before - after > RELATIVE_DROP * Math.abs(before);
        String change = String.format(Locale.ROOT, "%.4f at %s of the training part → %.4f at %s", before,
                GridPoint.plain(prev.fraction()), after, GridPoint.plain(last.fraction()));
        String reading = falling
                ? "J_cv is still falling as the training set grows (" + change + "): more data should help"
                        + (highVariance ? ", as high variance suggests" : "")
                : "J_cv has levelled off (" + change + "): more data alone is unlikely to help much"
                        + (highBias ? ", as high bias suggests" : "");
        return Optional.of(new CurveEvidence(prev.fraction(), last.fraction(), prev.trainSize(), last.trainSize(),
                before, after, last.jTrain().mean(), after - last.jTrain().mean(), falling, reading));
    }

    /** diagnosis.json: the verdict and the numbers behind it (unknown values are null). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("point_id", pointId);
        m.put("label", label);
        m.put("verdict", verdict.name());
        m.put("train_error", num(trainError));
        m.put("cv_error", num(cvError));
        m.put("j_train", num(jTrain));
        m.put("j_cv", num(jCv));
        m.put("baseline_error", baselineError.isPresent() ? num(baselineError.getAsDouble()) : null);
        m.put("baseline_known", baselineError.isPresent());
        m.put("bias_gap", biasGap.isPresent() ? num(biasGap.getAsDouble()) : null);
        m.put("bias_threshold", biasThreshold);
        m.put("high_bias", highBias.orElse(null));
        m.put("variance_gap", num(varianceGap));
        m.put("variance_threshold", varianceThreshold);
        m.put("high_variance", highVariance);
        m.put("remedies_high_bias", biasRemedies);
        m.put("remedies_high_variance", varianceRemedies);
        m.put("learning_curve", learningCurve.map(e -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("previous_fraction", e.previousFraction());
            c.put("last_fraction", e.lastFraction());
            c.put("previous_train_size", num(e.previousTrainSize()));
            c.put("last_train_size", num(e.lastTrainSize()));
            c.put("j_cv_previous", num(e.jCvPrevious()));
            c.put("j_cv_last", num(e.jCvLast()));
            c.put("j_train_last", num(e.jTrainLast()));
            c.put("gap_last", num(e.gapLast()));
            c.put("j_cv_still_falling", e.jCvStillFalling());
            c.put("reading", e.reading());
            return c;
        }).orElse(null));
        m.put("notes", notes);
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the diagnosis as JSON", e);
        }
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** The diagnosis as lines to print at the end of a sweep. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Diagnosis of " + label + " (point " + pointId + "): " + verdict.name().replace('_', ' ').toLowerCase(Locale.ROOT));
        out.add(String.format(Locale.ROOT, "  training error %.4f, cross-validation error %.4f (J_train %.4f, J_cv %.4f)",
                trainError, cvError, jTrain, jCv));
        if (biasGap.isPresent()) {
            out.add(String.format(Locale.ROOT, "  bias gap: training error - baseline %.4f = %.4f, %s threshold %.4f: %s",
                    baselineError.getAsDouble(), biasGap.getAsDouble(), highBias.orElse(false) ? "above" : "not above",
                    biasThreshold, highBias.orElse(false) ? "high bias" : "bias is fine"));
        } else {
            out.add("  bias gap: unknown (no diagnosis.baselineError), bias not judged");
        }
        out.add(String.format(Locale.ROOT, "  variance gap: cross-validation error - training error = %.4f, %s threshold %.4f: %s",
                varianceGap, highVariance ? "above" : "not above", varianceThreshold,
                highVariance ? "high variance" : "variance is fine"));
        if (!biasRemedies.isEmpty()) {
            out.add("  for high bias try: " + String.join(", ", biasRemedies));
        }
        if (!varianceRemedies.isEmpty()) {
            out.add("  for high variance try: " + String.join(", ", varianceRemedies));
        }
        learningCurve.ifPresent(e -> out.add("  learning curve: " + e.reading()));
        notes.forEach(n -> out.add("  note: " + n));
        return out;
    }
}
