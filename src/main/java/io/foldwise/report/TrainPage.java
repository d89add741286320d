package io.foldwise.report;

import io.foldwise.train.TrainMetrics;
import java.util.Optional;

/** The sections of a train run's report, in reading order. */
final class TrainPage {
    private TrainPage() {
    }

    static String body(ReportContext ctx) {
        Optional<TrainMetrics> metrics = ctx.json(ctx.layout.metricsJson()).map(TrainMetrics::fromJson);
        StringBuilder b = new StringBuilder();
        TrainSummarySection.append(b, ctx, metrics);
        TrainEpochsSection.append(b, ctx);
        ValidationEvaluationSection.append(b, ctx, metrics.flatMap(TrainMetrics::validation));
        AugmentationSection.append(b, ctx);
        ProvenanceSection.append(b, ctx);
        return b.toString();
    }
}
