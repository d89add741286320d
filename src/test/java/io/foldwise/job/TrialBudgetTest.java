package io.foldwise.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.foldwise.config.ConfigDiff;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The trial and time budgets, their config keys, and that a resume may change them. */
class TrialBudgetTest {
    @Test
    void maxTrialsStartsThatManyThenNone() {
        TrialBudget b = new TrialBudget(2, Optional.empty());
        assertThat(b.tryStart()).isTrue();
        assertThat(b.tryStart()).isTrue();
        assertThat(b.hit()).isFalse();
        assertThat(b.tryStart()).isFalse();
        assertThat(b.hit()).isTrue();
        assertThat(b.describe()).contains("sweep.maxTrials (2)");
        assertThat(TrialBudget.unlimited().tryStart()).isTrue();
    }

    @Test
    void aSpentTimeBudgetStartsNothing() throws InterruptedException {
        TrialBudget b = new TrialBudget(0, Optional.of(Duration.ofMillis(20)));
        assertThat(b.tryStart()).isTrue();
        Thread.sleep(40);
        assertThat(b.tryStart()).isFalse();
        assertThat(b.describe()).contains("sweep.timeBudget");
    }

    @Test
    void budgetsAreReadAndMayChangeOnResume() {
        FoldwiseConfig c = ConfigLoader.load(null, List.of("sweep.maxTrials=5", "sweep.timeBudget=90m"));
        assertThat(c.sweep().maxTrials()).isEqualTo(5);
        assertThat(c.sweep().timeBudget()).contains(Duration.ofMinutes(90));
        assertThat(ConfigLoader.load(null, List.of()).sweep().timeBudget()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(null, List.of("sweep.timeBudget=soon")))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("sweep.timeBudget");
        assertThat(ConfigDiff.between(ConfigFactory.parseString("sweep { maxTrials = 2, timeBudget = 1h }"),
                ConfigFactory.parseString("sweep { maxTrials = 0, timeBudget = \"\" }"))).isEmpty();
        assertThat(ConfigDiff.between(ConfigFactory.parseString("sweep { samples = 2 }"),
                ConfigFactory.parseString("sweep { samples = 3 }"))).hasSize(1);
    }
}
