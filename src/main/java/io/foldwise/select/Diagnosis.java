package io.foldwise.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.config.DiagnosisConfig;
import io.foldwise.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        HIGH_BIAS("high bias"), HIGH_VARIANCE("high variance"), BOTH("high bias and high variance"),
        NEITHER("neither high bias nor high variance");

        private final String words;

        Verdict(String words) {
            this.words = words;
        }

        /** The verdict in words, for people. */
        public String words() {
            return words;
        }
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
        public static final String PREVIOUS_FRACTION = "previousFraction";
        public static final String LAST_FRACTION = "lastFraction";
        public static final String PREVIOUS_TRAIN_SIZE = "previousTrainSize";
        public static final String LAST_TRAIN_SIZE = "lastTrainSize";
        public static final String J_CV_PREVIOUS = "jCvPrevious";
        public static final String J_CV_LAST = "jCvLast";
        public static final String J_TRAIN_LAST = "jTrainLast";
        public static final String GAP_LAST = "gapLast";
        public static final String J_CV_STILL_FALLING = "jCvStillFalling";
        public static final String READING = "reading";

        /** The "learningCurve" object of diagnosis.json. */
        public ObjectNode toJson() {
            ObjectNode c = Json.object();
            c.set(PREVIOUS_FRACTION, Json.number(previousFraction));
            c.set(LAST_FRACTION, Json.number(lastFraction));
            c.set(PREVIOUS_TRAIN_SIZE, Json.number(previousTrainSize));
            c.set(LAST_TRAIN_SIZE, Json.number(lastTrainSize));
            c.set(J_CV_PREVIOUS, Json.number(jCvPrevious));
            c.set(J_CV_LAST, Json.number(jCvLast));
            c.set(J_TRAIN_LAST, Json.number(jTrainLast));
            c.set(GAP_LAST, Json.number(gapLast));
            c.put(J_CV_STILL_FALLING, jCvStillFalling);
            c.put(READING, reading);
            return c;
        }

        /** Reads what {@link #toJson} writes, and the snake_case names of earlier runs. */
        public static CurveEvidence fromJson(JsonNode c) {
            return new CurveEvidence(Json.number(Json.field(c, PREVIOUS_FRACTION, "previous_fraction")),
                    Json.number(Json.field(c, LAST_FRACTION, "last_fraction")),
                    Json.number(Json.field(c, PREVIOUS_TRAIN_SIZE, "previous_train_size")),
                    Json.number(Json.field(c, LAST_TRAIN_SIZE, "last_train_size")),
                    Json.number(Json.field(c, J_CV_PREVIOUS, "j_cv_previous")),
                    Json.number(Json.field(c, J_CV_LAST, "j_cv_last")),
                    Json.number(Json.field(c, J_TRAIN_LAST, "j_train_last")),
                    Json.number(Json.field(c, GAP_LAST, "gap_last")),
                    Json.field(c, J_CV_STILL_FALLING, "j_cv_still_falling").asBoolean(), c.path(READING).asText());
        }
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

    public static final String POINT_ID = "pointId";
    public static final String LABEL = "label";
    public static final String VERDICT = "verdict";
    public static final String TRAIN_ERROR = "trainError";
    public static final String CV_ERROR = "cvError";
    public static final String J_TRAIN = "jTrain";
    public static final String J_CV = "jCv";
    public static final String BASELINE_ERROR = "baselineError";
    public static final String BASELINE_KNOWN = "baselineKnown";
    public static final String BIAS_GAP = "biasGap";
    public static final String BIAS_THRESHOLD = "biasThreshold";
    public static final String HIGH_BIAS = "highBias";
    public static final String VARIANCE_GAP = "varianceGap";
    public static final String VARIANCE_THRESHOLD = "varianceThreshold";
    public static final String HIGH_VARIANCE = "highVariance";
    public static final String BIAS_REMEDIES = "biasRemedies";
    public static final String VARIANCE_REMEDIES = "varianceRemedies";
    public static final String LEARNING_CURVE = "learningCurve";
    public static final String NOTES = "notes";

    /**
     * diagnosis.json: the verdict and the numbers behind it, camelCase keys (unknown values are
     * null). Runs written before format version 2 used snake_case; {@link #fromJson} reads both.
     */
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put(POINT_ID, pointId);
        n.put(LABEL, label);
        n.put(VERDICT, verdict.name());
        n.set(TRAIN_ERROR, Json.number(trainError));
        n.set(CV_ERROR, Json.number(cvError));
        n.set(J_TRAIN, Json.number(jTrain));
        n.set(J_CV, Json.number(jCv));
        n.set(BASELINE_ERROR, Json.number(baselineError.orElse(Double.NaN)));
        n.put(BASELINE_KNOWN, baselineError.isPresent());
        n.set(BIAS_GAP, Json.number(biasGap.orElse(Double.NaN)));
        n.put(BIAS_THRESHOLD, biasThreshold);
        if (highBias.isPresent()) {
            n.put(HIGH_BIAS, highBias.get());
        } else {
            n.putNull(HIGH_BIAS);
        }
        n.set(VARIANCE_GAP, Json.number(varianceGap));
        n.put(VARIANCE_THRESHOLD, varianceThreshold);
        n.put(HIGH_VARIANCE, highVariance);
        n.set(BIAS_REMEDIES, Json.strings(biasRemedies));
        n.set(VARIANCE_REMEDIES, Json.strings(varianceRemedies));
        n.set(LEARNING_CURVE, learningCurve.map(CurveEvidence::toJson).map(JsonNode.class::cast)
                .orElse(NullNode.getInstance()));
        n.set(NOTES, Json.strings(notes));
        return n;
    }

    /** Reads what {@link #toJson} writes, and diagnosis.json of runs written with snake_case names. */
    public static Diagnosis fromJson(JsonNode n) {
        boolean baselineKnown = Json.field(n, BASELINE_KNOWN, "baseline_known").asBoolean();
        JsonNode highBias = Json.field(n, HIGH_BIAS, "high_bias");
        JsonNode curve = Json.field(n, LEARNING_CURVE, "learning_curve");
        return new Diagnosis(Json.field(n, POINT_ID, "point_id").asText(), n.path(LABEL).asText(),
                Json.number(Json.field(n, TRAIN_ERROR, "train_error")), Json.number(Json.field(n, CV_ERROR, "cv_error")),
                Json.number(Json.field(n, J_TRAIN, "j_train")), Json.number(Json.field(n, J_CV, "j_cv")),
                baselineKnown ? OptionalDouble.of(Json.number(Json.field(n, BASELINE_ERROR, "baseline_error")))
                        : OptionalDouble.empty(),
                baselineKnown ? OptionalDouble.of(Json.number(Json.field(n, BIAS_GAP, "bias_gap")))
                        : OptionalDouble.empty(),
                Json.number(Json.field(n, VARIANCE_GAP, "variance_gap")),
                Json.number(Json.field(n, BIAS_THRESHOLD, "bias_threshold")),
                Json.number(Json.field(n, VARIANCE_THRESHOLD, "variance_threshold")),
                highBias.isBoolean() ? Optional.of(highBias.asBoolean()) : Optional.empty(),
                Json.field(n, HIGH_VARIANCE, "high_variance").asBoolean(), Verdict.valueOf(n.path(VERDICT).asText()),
                Json.strings(Json.field(n, BIAS_REMEDIES, "remedies_high_bias")),
                Json.strings(Json.field(n, VARIANCE_REMEDIES, "remedies_high_variance")),
                curve.isObject() ? Optional.of(CurveEvidence.fromJson(curve)) : Optional.empty(),
                Json.strings(n.path(NOTES)));
    }

    /** The diagnosis as lines to print at the end of a sweep: a headline, then {@link #findings}. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("Diagnosis of " + label + " (point " + pointId + "): " + verdict.name().replace('_', ' ').toLowerCase(Locale.ROOT));
        findings().forEach(f -> out.add("  " + f));
        return out;
    }

    /**
     * The diagnosis in sentences, each with its numbers: errors and losses, the bias and variance
     * gaps against their thresholds, the remedies, the learning curve's reading and the notes.
     * Console and report both show these, so the words live here only.
     */
    public List<String> findings() {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "training error %.4f, cross-validation error %.4f (J_train %.4f, J_cv %.4f)",
                trainError, cvError, jTrain, jCv));
        if (biasGap.isPresent()) {
            out.add(String.format(Locale.ROOT, "bias gap: training error - baseline %.4f = %.4f, %s threshold %.4f: %s",
                    baselineError.getAsDouble(), biasGap.getAsDouble(), highBias.orElse(false) ? "above" : "not above",
                    biasThreshold, highBias.orElse(false) ? "high bias" : "bias is fine"));
        } else {
            out.add("bias gap: unknown (no diagnosis.baselineError), bias not judged");
        }
        out.add(String.format(Locale.ROOT, "variance gap: cross-validation error - training error = %.4f, %s threshold %.4f: %s",
                varianceGap, highVariance ? "above" : "not above", varianceThreshold,
                highVariance ? "high variance" : "variance is fine"));
        if (!biasRemedies.isEmpty()) {
            out.add("for high bias try: " + String.join(", ", biasRemedies));
        }
        if (!varianceRemedies.isEmpty()) {
            out.add("for high variance try: " + String.join(", ", varianceRemedies));
        }
        learningCurve.ifPresent(e -> out.add("learning curve: " + e.reading()));
        notes.forEach(n -> out.add("note: " + n));
        return out;
    }
}
