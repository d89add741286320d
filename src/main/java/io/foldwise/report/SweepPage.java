package io.foldwise.report;

import io.foldwise.config.SelectionMetric;
import io.foldwise.select.Diagnosis;
import io.foldwise.train.Evaluation;
import java.util.Optional;

/** The sections of a sweep's report, in reading order. */
final class SweepPage {
    private SweepPage() {
    }

    static String body(ReportContext ctx) {
        Optional<CsvTable> board = ctx.csv(ctx.layout.leaderboardCsv());
        int chosen = board.map(LeaderboardSection::chosenRow).orElse(-1);
        SelectionMetric metric = LeaderboardSection.metric(ctx.config, board);
        Optional<Evaluation> test = ctx.json(ctx.layout.best().testMetricsJson()).map(Evaluation::fromJson);
        Optional<Diagnosis> diagnosis = ctx.json(ctx.layout.diagnosisJson()).map(Diagnosis::fromJson);
        String chosenId = chosen >= 0 ? board.get().text(chosen, "point_id") : null;

        StringBuilder b = new StringBuilder();
        SummarySection.append(b, ctx, board, chosen, metric.configName(), test);
        LeaderboardSection.append(b, board, chosen, metric);
        ValidationCurvesSection.append(b, ctx, chosenId);
        LearningCurvesSection.append(b, ctx, chosenId);
        EpochCurvesSection.append(b, ctx, chosenId);
        DiagnosisSection.append(b, diagnosis);
        TestEvaluationSection.append(b, ctx, test);
        ThresholdSection.append(b, ctx);
        ErrorAnalysisSection.append(b, ctx, test);
        AugmentationSection.append(b, ctx);
        TrialsSection.append(b, ctx);
        ProvenanceSection.append(b, ctx);
        return b.toString();
    }
}
