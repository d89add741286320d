package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepConfigTest {

    private static FoldwiseConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static InvalidConfigException problems(String... overrides) {
        try {
            load(overrides);
        } catch (InvalidConfigException e) {
            return e;
        }
        throw new AssertionError("expected a InvalidConfigException for " + List.of(overrides));
    }

    @Test
    void defaultsMatchReferenceConf() {
        FoldwiseConfig c = load();
        assertThat(c.sweep().folds()).isEqualTo(5);
        assertThat(c.sweep().parallelTrials()).isZero();
        assertThat(c.sweep().metric()).isEqualTo(SelectionMetric.ACCURACY);
        assertThat(c.sweep().failFast()).isFalse();
        assertThat(c.sweep().grid()).isEmpty();
        assertThat(c.learningCurve().fractions()).containsExactly(0.1, 0.25, 0.5, 0.75, 1.0);
        assertThat(c.learningCurve().points()).isEmpty();
        assertThat(c.diagnosis().baselineError()).isEmpty();
        assertThat(c.diagnosis().biasThreshold()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void metricDirections() {
        assertThat(load("sweep.metric=accuracy").sweep().metric().higherIsBetter()).isTrue();
        assertThat(load("sweep.metric=f1_macro").sweep().metric()).isEqualTo(SelectionMetric.F1_MACRO);
        assertThat(SelectionMetric.F1_MACRO.higherIsBetter()).isTrue();
        SelectionMetric loss = load("sweep.metric=loss").sweep().metric();
        assertThat(loss.higherIsBetter()).isFalse();
        assertThat(loss.better(0.1, 0.2)).isTrue();
        assertThat(SelectionMetric.ACCURACY.better(0.1, 0.2)).isFalse();
        assertThat(problems("sweep.metric=auc").getMessage()).contains("sweep.metric").contains("\"auc\"")
                .contains("accuracy | f1_macro | loss");
    }

    @Test
    void gridIsReadInTrainKeyOrder() {
        FoldwiseConfig c = load("sweep.grid.l2=[1e-4, 1e-3]", "sweep.grid.epochs=[2]",
                "sweep.grid.architecture=[{mlp = [64]}, {mlp = [128, 64]}]");
        List<String> expectedOrder = SweepConfig.TRAIN_KEYS.stream()
                .filter(k -> List.of("l2", "epochs", "architecture").contains(k)).toList();
        assertThat(c.sweep().grid().keySet()).containsExactlyElementsOf(expectedOrder);
        assertThat(c.sweep().grid().get("l2")).hasSize(2);
        assertThat(c.sweep().gridSize()).isEqualTo(2 * 1 * 2);
        assertThat(SweepConfig.TRAIN_KEYS).contains("architecture", "l2", "learningRate", "epochs", "batchSize");
    }

    @Test
    void foldsBelowTwoNamesKeyAndValue() {
        InvalidConfigException e = problems("sweep.folds=1");
        assertThat(e.problems()).contains("sweep.folds must be >= 2, got 1");
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(problems("sweep.parallelTrials=-1").getMessage()).contains("sweep.parallelTrials").contains("-1");
    }

    @Test
    void emptyListAndUnknownKeyAreRejected() {
        assertThat(problems("sweep.grid.l2=[]").problems())
                .anyMatch(m -> m.startsWith("sweep.grid.l2 must list at least one value"));
        InvalidConfigException e = problems("sweep.grid.lr=[0.1]");
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.lr is not a train setting")
                && m.contains("learningRate") && m.contains("architecture"));
        assertThat(problems("sweep.grid.l2=0.001").problems())
                .anyMatch(m -> m.startsWith("sweep.grid.l2 must be a list"));
    }

    @Test
    void everyBadGridValueIsReportedUnderItsGridKey() {
        InvalidConfigException e = problems("sweep.grid.l2=[1e-3, -1]", "sweep.grid.epochs=[0, 3]",
                "sweep.grid.architecture=[{mlp = [0]}, {mlp = [64]}]", "sweep.grid.updater=[adam, rmsprop]",
                "sweep.folds=1");
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.l2[1] ") && m.contains("-1"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.epochs[0] ") && m.contains("got 0"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.architecture[0].mlp[0] "));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.updater[1] ") && m.contains("rmsprop"));
        assertThat(e.problems()).contains("sweep.folds must be >= 2, got 1");
        assertThat(e.problems()).noneMatch(m -> m.startsWith("train."));
        assertThat(e.problems()).doesNotHaveDuplicates();
        assertThat(e.problems()).noneMatch(m -> m.contains("must be an mlp or cnn spec, got nothing"));
        assertThat(e.problems()).noneMatch(m -> m.contains("sweep.grid.l2[0]") || m.contains("epochs[1]")
                || m.contains("architecture[1]") || m.contains("updater[0]"));
    }

    @Test
    void baseTrainProblemsAreReportedOnce() {
        InvalidConfigException e = problems("train.updater=rmsprop", "train.architecture={mlp = [0]}", "run.output=\"\"");
        assertThat(e.problems()).doesNotHaveDuplicates();
        assertThat(e.problems()).filteredOn(m -> m.startsWith("train.updater")).hasSize(1);
        assertThat(e.problems()).filteredOn(m -> m.startsWith("train.architecture")).hasSize(1);
        assertThat(e.problems()).anyMatch(m -> m.startsWith("run.output"));
    }

    @Test
    void repeatedGridValueIsRejected() {
        assertThat(problems("sweep.grid.l2=[1e-3, 0.001]").problems())
                .anyMatch(m -> m.startsWith("sweep.grid.l2[1] repeats sweep.grid.l2[0]"));
    }

    @Test
    void gridArchitectureMustFitTheInputShape() {
        InvalidConfigException e = problems("sweep.grid.architecture=[{mlp = [8]}, {cnn = [{conv = 4, kernel = 40}]}]");
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.grid.architecture[1].cnn[0]")
                && m.contains("kernel 40x40"));
    }

    @Test
    void learningCurveAndDiagnosisAreValidated() {
        InvalidConfigException e = problems("learningCurve.fractions=[0.5, 0.25, 1.5]", "diagnosis.baselineError=1.5",
                "diagnosis.varianceThreshold=-0.1", "learningCurve.points=[3]");
        assertThat(e.problems()).anyMatch(m -> m.startsWith("learningCurve.fractions[2] must be in (0, 1]"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("learningCurve.fractions must be strictly increasing"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("diagnosis.baselineError") && m.contains("1.5"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("diagnosis.varianceThreshold must be >= 0, got -0.1"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("learningCurve.points[0]"));
        assertThat(problems("learningCurve.fractions=[0.5, 0.5]").problems())
                .anyMatch(m -> m.startsWith("learningCurve.fractions must be strictly increasing"));
        assertThat(problems("learningCurve.fractions=[0, 1]").problems())
                .anyMatch(m -> m.startsWith("learningCurve.fractions[0] must be in (0, 1], got 0"));
    }

    @Test
    void fileWithEverySectionLoads(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("sweep.conf");
        Files.writeString(conf, """
                sweep {
                  folds = 3
                  seed = 7
                  metric = loss
                  grid {
                    l2 = [1e-4, 1e-3]
                    architecture = [{mlp = [64]}, {mlp = [128, 64], activation = tanh}]
                  }
                }
                learningCurve { fractions = [0.5, 1.0], points = [{l2 = 1e-4, architecture = {mlp = [64]}}] }
                diagnosis { baselineError = 0.01, biasThreshold = 0.05 }
                """);
        FoldwiseConfig c = ConfigLoader.load(conf, List.of());
        assertThat(c.sweep().folds()).isEqualTo(3);
        assertThat(c.sweep().seed()).isEqualTo(7);
        assertThat(c.sweep().metric()).isEqualTo(SelectionMetric.LOSS);
        assertThat(c.sweep().grid().get("architecture")).hasSize(2);
        assertThat(c.learningCurve().fractions()).containsExactly(0.5, 1.0);
        assertThat(c.learningCurve().points()).hasSize(1);
        assertThat(c.diagnosis().baselineError()).hasValue(0.01);
        assertThat(c.diagnosis().biasThreshold()).isEqualTo(0.05);

        Files.writeString(conf, "sweep.fold = 3\ndiagnosis.baseline = 0.1\n");
        InvalidConfigException e = null;
        try {
            ConfigLoader.load(conf, List.of());
        } catch (InvalidConfigException x) {
            e = x;
        }
        assertThat(e).isNotNull();
        assertThat(e.problems()).anyMatch(m -> m.startsWith("sweep.fold is not a Foldwise setting")
                && m.contains("sweep.folds"));
        assertThat(e.problems()).anyMatch(m -> m.startsWith("diagnosis.baseline is not a Foldwise setting"));
    }

    @Test
    void recordsValidateInTheirConstructors() {
        assertThatThrownBy(() -> new SweepConfig(1, 0, 0, SelectionMetric.ACCURACY, false, java.util.Map.of(), 1,
                SelectionRule.BEST, SearchStrategy.GRID, 1, 0, java.util.Map.of(), Schedule.FULL,
                new HalvingConfig(3, 1, 1), 0, java.util.Optional.empty()))
                .isInstanceOf(InvalidConfigException.class).hasMessage("sweep.folds must be >= 2, got 1");
        assertThatThrownBy(() -> new DiagnosisConfig(java.util.OptionalDouble.of(-0.1), 0, 0))
                .hasMessageContaining("diagnosis.baselineError").hasMessageContaining("-0.1");
    }
}
