package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.TrainConfig;
import io.foldwise.train.StopPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refit's epoch count: the chosen point's mean best epoch under early stopping, else train.epochs. */
class RefitEpochsTest {
    private static TrainConfig train(String... overrides) {
        return Grid.expand(GridTest.config(overrides)).get(0).train();
    }

    @Test
    void meanBestEpochOfTheFoldsRoundedUnderEarlyStopping() {
        TrainConfig t = train("train.epochs=10", "train.earlyStopping.patience=2", "sweep.grid.l2=[1e-3]");
        RefitEpochs e = RefitEpochs.of(t, List.of(new StopPoint(6, 4), new StopPoint(7, 5), new StopPoint(10, 8)));
        assertThat(e.epochs()).isEqualTo(6); // (4 + 5 + 8) / 3 = 5.67
        assertThat(e.reason()).contains("mean best epoch").contains("5.67").contains("no validation fold");
        assertThat(t.withEpochs(e.epochs(), io.foldwise.config.EarlyStopping.OFF).epochs()).isEqualTo(6);
        assertThat(t.withEpochs(6, io.foldwise.config.EarlyStopping.OFF).earlyStopping().enabled()).isFalse();
    }

    @Test
    void trainEpochsWithoutEarlyStoppingOrWithoutRecordedBestEpochs() {
        TrainConfig off = train("train.epochs=10", "sweep.grid.l2=[1e-3]");
        assertThat(RefitEpochs.of(off, List.of(new StopPoint(10, 3))).epochs()).isEqualTo(10);
        TrainConfig on = train("train.epochs=10", "train.earlyStopping.patience=2", "sweep.grid.l2=[1e-3]");
        assertThat(RefitEpochs.of(on, List.of(new StopPoint(0, 0))).epochs()).isEqualTo(10);
    }
}
