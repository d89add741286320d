package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.foldwise.config.DiagnosisConfig;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    private static final double BASELINE = 0.01;
    private static final double THRESHOLD = 0.02;
    private static final GridPoint POINT = Grid.expand(GridTest.config("sweep.grid.l2=[1e-3]")).get(0);

    /** A chosen row with these mean errors over 3 folds (losses set apart from the errors on purpose). */
    private static Leaderboard.Row row(double trainError, double cvError) {
        return new Leaderboard.Row(0, POINT, 3, 0, new Stat(trainError * 3, 0.01, 3), new Stat(cvError * 3, 0.01, 3),
                new Stat(trainError, 0.001, 3), new Stat(cvError, 0.001, 3), new Stat(1 - cvError, 0.001, 3), List.of());
    }

    private static Diagnosis diagnose(double trainError, double cvError, OptionalDouble baseline) {
        return Diagnosis.of(row(trainError, cvError), new DiagnosisConfig(baseline, THRESHOLD, THRESHOLD), Optional.empty());
    }

    /** The method's rule, written out independently. */
    private static Diagnosis.Verdict expected(double trainError, double cvError, OptionalDouble baseline) {
        boolean bias = baseline.isPresent() && trainError - baseline.getAsDouble() > THRESHOLD;
        boolean variance = cvError - trainError > THRESHOLD;
        return bias && variance ? Diagnosis.Verdict.BOTH : bias ? Diagnosis.Verdict.HIGH_BIAS
                : variance ? Diagnosis.Verdict.HIGH_VARIANCE : Diagnosis.Verdict.NEITHER;
    }

    @Test
    void highBias() {
        double train = 0.10;
        double cv = 0.11;
        Diagnosis d = diagnose(train, cv, OptionalDouble.of(BASELINE));
        assertThat(expected(train, cv, OptionalDouble.of(BASELINE))).isEqualTo(Diagnosis.Verdict.HIGH_BIAS);
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.HIGH_BIAS);
        assertThat(d.biasGap().getAsDouble()).isCloseTo(train - BASELINE, offset(1e-12));
        assertThat(d.varianceGap()).isCloseTo(cv - train, offset(1e-12));
        assertThat(d.highBias()).hasValue(true);
        assertThat(d.highVariance()).isFalse();
        assertThat(d.biasRemedies()).containsExactly("a bigger network", "more features", "smaller λ (train.l2)");
        assertThat(d.varianceRemedies()).isEmpty();
    }

    @Test
    void highVariance() {
        double train = 0.015;
        double cv = 0.08;
        Diagnosis d = diagnose(train, cv, OptionalDouble.of(BASELINE));
        assertThat(d.verdict()).isEqualTo(expected(train, cv, OptionalDouble.of(BASELINE)))
                .isEqualTo(Diagnosis.Verdict.HIGH_VARIANCE);
        assertThat(d.varianceRemedies()).containsExactly("more data", "data augmentation", "larger λ (train.l2)",
                "a smaller network");
        assertThat(d.biasRemedies()).isEmpty();
        assertThat(d.highBias()).hasValue(false);
    }

    @Test
    void both() {
        double train = 0.10;
        double cv = 0.20;
        Diagnosis d = diagnose(train, cv, OptionalDouble.of(BASELINE));
        assertThat(d.verdict()).isEqualTo(expected(train, cv, OptionalDouble.of(BASELINE)))
                .isEqualTo(Diagnosis.Verdict.BOTH);
        assertThat(d.biasRemedies()).isNotEmpty();
        assertThat(d.varianceRemedies()).isNotEmpty();
    }

    @Test
    void neither() {
        double train = 0.02;
        double cv = 0.03;
        Diagnosis d = diagnose(train, cv, OptionalDouble.of(BASELINE));
        assertThat(d.verdict()).isEqualTo(expected(train, cv, OptionalDouble.of(BASELINE)))
                .isEqualTo(Diagnosis.Verdict.NEITHER);
        assertThat(d.biasRemedies()).isEmpty();
        assertThat(d.varianceRemedies()).isEmpty();
    }

    @Test
    void gapsEqualToTheThresholdAreNotLarge() {
        Diagnosis d = Diagnosis.of(row(0.25, 0.5), new DiagnosisConfig(OptionalDouble.of(0.0), 0.25, 0.25),
                Optional.empty());
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.NEITHER);
    }

    @Test
    void unknownBaselineJudgesOnlyVariance() {
        // A training error this high would be high bias against any small baseline; unknown, it is not judged.
        Diagnosis d = diagnose(0.30, 0.31, OptionalDouble.empty());
        assertThat(d.verdict()).isEqualTo(expected(0.30, 0.31, OptionalDouble.empty()))
                .isEqualTo(Diagnosis.Verdict.NEITHER);
        assertThat(d.highBias()).isEmpty();
        assertThat(d.biasGap()).isEmpty();
        assertThat(d.notes()).anyMatch(n -> n.contains("baseline error unknown") && n.contains("diagnosis.baselineError"));
        assertThat(d.lines()).anyMatch(l -> l.contains("bias gap: unknown"));
        Config json = json(d);
        assertThat(json.getIsNull("baselineError")).isTrue();
        assertThat(json.getIsNull("biasGap")).isTrue();
        assertThat(json.getIsNull("highBias")).isTrue();
        assertThat(json.getBoolean("baselineKnown")).isFalse();
        assertThat(json.getString("verdict")).isEqualTo("NEITHER");

        Diagnosis v = diagnose(0.30, 0.40, OptionalDouble.empty());
        assertThat(v.verdict()).isEqualTo(Diagnosis.Verdict.HIGH_VARIANCE);
        assertThat(v.varianceRemedies()).isNotEmpty();
    }

    @Test
    void jsonCarriesTheNumbers() {
        Diagnosis d = diagnose(0.10, 0.20, OptionalDouble.of(BASELINE));
        Config json = json(d);
        assertThat(json.getString("verdict")).isEqualTo("BOTH");
        assertThat(json.getString("pointId")).isEqualTo(POINT.id());
        assertThat(json.getDouble("biasGap")).isCloseTo(0.10 - BASELINE, offset(1e-12));
        assertThat(json.getDouble("varianceGap")).isCloseTo(0.10, offset(1e-12));
        assertThat(json.getDouble("jCv")).isCloseTo(0.60, offset(1e-12));
        assertThat(json.getStringList("varianceRemedies")).hasSize(4);
        assertThat(json.getBoolean("highBias")).isTrue();
    }

    @Test
    void learningCurveEvidence() {
        LearningCurve falling = curve(0.50, 0.40);
        Diagnosis d = Diagnosis.of(row(0.015, 0.08), new DiagnosisConfig(OptionalDouble.of(BASELINE), THRESHOLD,
                THRESHOLD), Optional.of(falling));
        Diagnosis.CurveEvidence e = d.learningCurve().orElseThrow();
        assertThat(e.jCvStillFalling()).isTrue();
        assertThat(e.previousFraction()).isEqualTo(0.5);
        assertThat(e.lastFraction()).isEqualTo(1.0);
        assertThat(e.jCvLast()).isEqualTo(0.40);
        assertThat(e.reading()).contains("still falling").contains("more data should help");

        LearningCurve flat = curve(0.400, 0.399);
        Diagnosis f = Diagnosis.of(row(0.10, 0.11), new DiagnosisConfig(OptionalDouble.of(BASELINE), THRESHOLD,
                THRESHOLD), Optional.of(flat));
        assertThat(f.learningCurve().orElseThrow().jCvStillFalling()).isFalse();
        assertThat(f.learningCurve().orElseThrow().reading()).contains("levelled off").contains("high bias");

        Diagnosis none = diagnose(0.1, 0.1, OptionalDouble.of(BASELINE));
        assertThat(none.learningCurve()).isEmpty();
        assertThat(none.notes()).anyMatch(n -> n.contains("no learning-curve evidence"));
    }

    @Test
    void jsonRoundTripsWithAndWithoutBaselineAndCurve() {
        for (Diagnosis d : List.of(diagnose(0.10, 0.20, OptionalDouble.of(BASELINE)),
                diagnose(0.30, 0.31, OptionalDouble.empty()),
                Diagnosis.of(row(0.10, 0.30), new DiagnosisConfig(OptionalDouble.of(BASELINE), THRESHOLD, THRESHOLD), Optional.of(curve(0.5, 0.3))))) {
            assertThat(Diagnosis.fromJson(io.foldwise.store.Json.parse(io.foldwise.store.Json.render(d.toJson()))))
                    .isEqualTo(d);
        }
    }

    @Test
    void readsDiagnosisJsonWrittenWithSnakeCaseNames() {
        Diagnosis d = Diagnosis.of(row(0.10, 0.30), new DiagnosisConfig(OptionalDouble.of(BASELINE), THRESHOLD, THRESHOLD), Optional.of(curve(0.5, 0.3)));
        assertThat(d.learningCurve()).isPresent();
        // diagnosis.json as runs before the camelCase convention wrote it
        com.fasterxml.jackson.databind.node.ObjectNode old = io.foldwise.store.Json.object();
        old.put("point_id", d.pointId()).put("label", d.label()).put("verdict", d.verdict().name())
                .put("train_error", d.trainError()).put("cv_error", d.cvError()).put("j_train", d.jTrain())
                .put("j_cv", d.jCv()).put("baseline_error", d.baselineError().getAsDouble()).put("baseline_known", true)
                .put("bias_gap", d.biasGap().getAsDouble()).put("bias_threshold", d.biasThreshold())
                .put("high_bias", d.highBias().get()).put("variance_gap", d.varianceGap())
                .put("variance_threshold", d.varianceThreshold()).put("high_variance", d.highVariance());
        old.set("remedies_high_bias", io.foldwise.store.Json.strings(d.biasRemedies()));
        old.set("remedies_high_variance", io.foldwise.store.Json.strings(d.varianceRemedies()));
        Diagnosis.CurveEvidence e = d.learningCurve().get();
        old.putObject("learning_curve").put("previous_fraction", e.previousFraction())
                .put("last_fraction", e.lastFraction()).put("previous_train_size", e.previousTrainSize())
                .put("last_train_size", e.lastTrainSize()).put("j_cv_previous", e.jCvPrevious())
                .put("j_cv_last", e.jCvLast()).put("j_train_last", e.jTrainLast()).put("gap_last", e.gapLast())
                .put("j_cv_still_falling", e.jCvStillFalling()).put("reading", e.reading());
        old.set("notes", io.foldwise.store.Json.strings(d.notes()));
        assertThat(Diagnosis.fromJson(old)).isEqualTo(d);
    }

    /** Parses diagnosis.json strictly as JSON (Typesafe Config's JSON parser, independent of the writer). */
    private static Config json(Diagnosis d) {
        return ConfigFactory.parseString(io.foldwise.store.Json.render(d.toJson()), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    }

    /** Three sizes; J_cv at 0.5 and 1.0 as given, J_train 0.1 throughout. */
    private static LearningCurve curve(double jCvHalf, double jCvFull) {
        return new LearningCurve(POINT, List.of(
                lcRow(0.25, 0.9), lcRow(0.5, jCvHalf), lcRow(1.0, jCvFull)));
    }

    private static LearningCurve.Row lcRow(double fraction, double jCv) {
        return new LearningCurve.Row(fraction, 1000 * fraction, 3, 0, new Stat(0.1, 0, 3), new Stat(jCv, 0, 3),
                new Stat(0.01, 0, 3), new Stat(0.02, 0, 3));
    }
}
