package io.foldwise.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Early stopping's bookkeeping on hand-made J_cv sequences. */
class BestEpochTest {
    @Test
    void stopsAfterPatienceEpochsWithoutAnImprovementAndKeepsTheBest() {
        BestEpoch b = new BestEpoch(2, 0.0);
        assertThat(b.record(1, 0.9)).isTrue();
        assertThat(b.record(2, 0.7)).isTrue();
        assertThat(b.record(3, 0.75)).isFalse();
        assertThat(b.stop()).isFalse();
        assertThat(b.record(4, 0.71)).isFalse();
        assertThat(b.stop()).isTrue();
        assertThat(b.bestEpoch()).isEqualTo(2);
        assertThat(b.mustRestore()).isTrue();
    }

    @Test
    void anImprovementSmallerThanMinDeltaDoesNotCount() {
        BestEpoch b = new BestEpoch(1, 0.05);
        b.record(1, 0.50);
        assertThat(b.record(2, 0.47)).isFalse();
        assertThat(b.stop()).isTrue();
        assertThat(b.bestEpoch()).isEqualTo(1);
    }

    @Test
    void offOrWithoutValidationTheLastEpochIsKeptAndTrainingNeverStops() {
        for (BestEpoch b : new BestEpoch[] {new BestEpoch(0, 0), new BestEpoch(2, 0)}) {
            double[] jcv = {Double.NaN, Double.NaN, Double.NaN};
            for (int e = 1; e <= 3; e++) {
                assertThat(b.record(e, jcv[e - 1])).isTrue();
                assertThat(b.stop()).isFalse();
            }
            assertThat(b.bestEpoch()).isEqualTo(3);
            assertThat(b.mustRestore()).isFalse();
        }
        BestEpoch off = new BestEpoch(0, 0);
        off.record(1, 0.5);
        off.record(2, 0.9);
        assertThat(off.bestEpoch()).isEqualTo(2);
        assertThat(off.stop()).isFalse();
    }
}
