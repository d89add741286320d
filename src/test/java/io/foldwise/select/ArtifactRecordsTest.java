package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.foldwise.store.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.foldwise.train.EpochStats;
import io.foldwise.train.Evaluation;
import io.foldwise.train.StopPoint;
import io.foldwise.train.TrainMetrics;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The JSON records of a trial and of the refit: each written, parsed back from text, and equal. */
class ArtifactRecordsTest {
    private static final GridPoint POINT = Grid.expand(GridTest.config("sweep.grid.l2=[1e-3]")).get(0);

    private static JsonNode reparsed(JsonNode n) {
        return Json.parse(Json.render(n));
    }

    private static Evaluation evaluation(long a, long b) {
        return new Evaluation(List.of("0", "1"), new long[][] {{a, 1}, {2, b}}, 0.25 + a / 100.0, a + b + 3);
    }

    @Test
    void evaluationRoundTripsAndKeepsItsDerivedMetrics() {
        Evaluation e = evaluation(7, 9);
        JsonNode json = reparsed(e.toJson());
        assertThat(Evaluation.fromJson(json)).isEqualTo(e);
        assertThat(json.path(Evaluation.ACCURACY).asDouble()).isEqualTo(e.accuracy());
        assertThat(Evaluation.fromJson(json)).isNotEqualTo(evaluation(7, 8));
    }

    @Test
    void trialMetricsRoundTripWithAndWithoutAugmentedTraining() {
        TrialResult r = TrialResult.ok(POINT.id(), 1, 0.5, 40, 0.3, 0.4, 0.1, 0.2, 0.8, 0.79);
        for (Optional<Evaluation> augmented : List.of(Optional.<Evaluation>empty(), Optional.of(evaluation(20, 21)))) {
            TrialMetrics m = new TrialMetrics(r, evaluation(7, 9), augmented, evaluation(3, 4), 12.5,
                    new StopPoint(4, 2));
            JsonNode json = reparsed(m.toJson());
            assertThat(TrialMetrics.fromJson(json)).isEqualTo(m);
            assertThat(TrialResult.fromJson(json)).isEqualTo(r);
            assertThat(json.has(TrialMetrics.TRAIN_AUGMENTED)).isEqualTo(augmented.isPresent());
        }
    }

    @Test
    void trialParamsRoundTrip() {
        TrialParams p = TrialParams.of(new TrialSpec(POINT, 2, 0.25));
        JsonNode json = reparsed(p.toJson());
        assertThat(TrialParams.fromJson(json)).isEqualTo(p);
        assertThat(json.path(TrialParams.VALUES).has("l2")).isTrue();
        assertThat(p.trialId()).isEqualTo(new TrialId(POINT.id(), 2, 0.25).value());
    }

    @Test
    void bestParamsRoundTrip() {
        BestParams p = new BestParams(POINT.id(), POINT.label(), "best mean accuracy", POINT.valuesJson(),
                OptionalLong.of(1234), List.of("a", "b"), Optional.empty(), Optional.of(new RefitEpochs(3, "mean best epoch")));
        assertThat(BestParams.fromJson(reparsed(p.toJson()))).isEqualTo(p);
        assertThat(p.toJson().has(BestParams.TRANSFER_SOURCE)).as("no source key when from scratch").isFalse();
        BestParams withoutCount = new BestParams(POINT.id(), POINT.label(), "r", POINT.valuesJson(),
                OptionalLong.empty(), List.of(), Optional.empty(), Optional.empty());
        assertThat(BestParams.fromJson(reparsed(withoutCount.toJson()))).isEqualTo(withoutCount);
    }

    @Test
    void bestParamsNamesTheTransferSource() {
        io.foldwise.store.TransferSource source = new io.foldwise.store.TransferSource("runs/digits04",
                "file:/data/runs/digits04/model.zip", "digits04", "abc123", List.of("0", "1", "2"), "mlp[64]/relu",
                "0123456789abcdef");
        BestParams p = new BestParams(POINT.id(), POINT.label(), "r", POINT.valuesJson(), OptionalLong.of(10),
                List.of("5", "6"), Optional.of(source), Optional.empty());
        JsonNode json = reparsed(p.toJson());
        assertThat(BestParams.fromJson(json)).isEqualTo(p);
        JsonNode s = json.path(BestParams.TRANSFER_SOURCE);
        assertThat(s.path(io.foldwise.store.TransferSource.URI).asText()).isEqualTo(source.uri());
        assertThat(s.path(io.foldwise.store.TransferSource.RUN_ID).asText()).isEqualTo("digits04");
        assertThat(s.path(io.foldwise.store.TransferSource.DATA_FINGERPRINT).asText()).isEqualTo("abc123");
    }

    @Test
    void trainMetricsRoundTrip() {
        TrainMetrics m = new TrainMetrics(evaluation(7, 9), Optional.of(evaluation(21, 27)), Optional.of(evaluation(3, 4)), 0.01, 3.5,
                new StopPoint(5, 5));
        JsonNode json = reparsed(m.toJson());
        assertThat(TrainMetrics.fromJson(json)).isEqualTo(m);
        assertThat(json.path(TrainMetrics.TRAIN_LOSS_WITH_PENALTY).asDouble())
                .isEqualTo(m.train().dataLoss() + m.penalty());
    }

    @Test
    void olderFilesWithoutStopPointsStillRead() {
        TrialResult r = TrialResult.ok(POINT.id(), 0, 1.0, 40, 0.3, 0.4, 0.1, 0.2, 0.8, 0.79);
        ObjectNode json = new TrialMetrics(r, evaluation(7, 9), Optional.empty(), evaluation(3, 4), 1.0,
                new StopPoint(3, 3)).toJson();
        json.remove(List.of(StopPoint.STOPPED_EPOCH, StopPoint.BEST_EPOCH));
        TrialMetrics old = TrialMetrics.fromJson(reparsed(json));
        assertThat(old.stop().known()).isFalse();
        assertThat(old.result()).isEqualTo(r);

        // curve.csv before the best column: parsed, none marked, the last epoch counts as kept
        String oldCsv = "epoch,train_loss,train_data_loss,validation_loss,train_accuracy,validation_accuracy,seconds\n"
                + "1,0.5,0.4,0.6,0.8,0.7,1.000\n2,0.4,0.3,0.5,0.85,0.75,1.000\n";
        List<EpochStats> curve = EpochStats.fromCsv(oldCsv);
        assertThat(curve).hasSize(2).noneMatch(EpochStats::best);
        assertThat(EpochStats.bestEpoch(curve)).isEqualTo(2);
        List<EpochStats> marked = EpochStats.markBest(curve, 1);
        assertThat(EpochStats.fromCsv(EpochStats.toCsv(marked))).isEqualTo(marked);
        assertThat(EpochStats.bestEpoch(EpochStats.fromCsv(EpochStats.toCsv(marked)))).isEqualTo(1);
    }
}
