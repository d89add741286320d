package io.foldwise.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.foldwise.select.TrialId;
import io.foldwise.train.EpochStats;
import java.awt.Color;
import org.apache.hadoop.fs.Path;

/** Per-epoch curves: the chosen point's cross-validation folds (J_train solid, J_cv dashed) and the refit. */
final class EpochCurvesSection {
    private EpochCurvesSection() {
    }

    static void append(StringBuilder b, ReportContext ctx, String chosenId) {
        b.append("<section id=\"epochs\"><h2>Training per epoch</h2>\n");
        if (chosenId != null) {
            List<Charts.Series> series = new ArrayList<>();
            int folds = ctx.config.map(c -> c.sweep().folds()).orElse(0);
            for (int f = 0; f < folds; f++) {
                Path csv = ctx.layout.trial(new TrialId(chosenId, f, 1.0).value()).curveCsv();
                Optional<List<EpochStats>> curve = ctx.text(csv).map(EpochStats::fromCsv);
                if (curve.isPresent()) {
                    Color color = Charts.PALETTE[f % Charts.PALETTE.length];
                    double[] epochs = curve.get().stream().mapToDouble(EpochStats::epoch).toArray();
                    series.add(Charts.Series.line("fold " + f + " J_train", epochs,
                            curve.get().stream().mapToDouble(EpochStats::trainDataLoss).toArray(), color, false));
                    series.add(Charts.Series.line("fold " + f + " J_cv", epochs,
                            curve.get().stream().mapToDouble(EpochStats::validationLoss).toArray(), color, true));
                }
            }
            if (!series.isEmpty()) {
                ctx.figure(b, ctx.report.foldEpochs(), Charts.lines("Chosen point, per fold: loss per epoch", "epoch",
                        "data loss (cross-entropy)", Charts.XAxis.INTEGER, series), Charts.WIDTH, Charts.HEIGHT + 60,
                        "The chosen point's cross-validation trials: J_train (solid) on the fold's training part and "
                                + "J_cv (dashed) on the held-out fold, after each epoch");
            }
        }
        Optional<List<EpochStats>> refit = ctx.text(ctx.layout.best().curveCsv()).map(EpochStats::fromCsv);
        if (refit.isPresent()) {
            epochLosses(b, ctx, refit.get(), "Refit on all training data: loss per epoch",
                    "The refit of the chosen point on all training data (no validation set: the test set is not "
                            + "looked at during training; with early stopping it trains for the epoch count "
                            + "cross-validation chose, the mean best epoch of the chosen point's folds)");
        }
        if (chosenId == null && refit.isEmpty()) {
            b.append("<p class=\"missing\">No per-epoch curves yet.</p>\n");
        }
        b.append("</section>\n");
    }

    /** Losses per epoch of one network: J_train, the objective with the L2 term, and J_cv if validated. */
    static void epochLosses(StringBuilder b, ReportContext ctx, List<EpochStats> curve, String title, String caption) {
        double[] epochs = curve.stream().mapToDouble(EpochStats::epoch).toArray();
        List<Charts.Series> series = new ArrayList<>(List.of(
                Charts.Series.line("J_train (data loss)", epochs,
                        curve.stream().mapToDouble(EpochStats::trainDataLoss).toArray(), Charts.TRAIN, false),
                Charts.Series.line("training objective (data loss + L2 term)", epochs,
                        curve.stream().mapToDouble(EpochStats::trainLoss).toArray(), Charts.BASELINE, true)));
        double[] validation = curve.stream().mapToDouble(EpochStats::validationLoss).toArray();
        if (Arrays.stream(validation).anyMatch(Double::isFinite)) {
            series.add(Charts.Series.line("J_cv (validation data loss)", epochs, validation, Charts.CV, false));
        }
        ctx.figure(b, ctx.report.refitEpochs(), Charts.lines(title, "epoch", "loss (cross-entropy)", Charts.XAxis.INTEGER,
                series), Charts.WIDTH, Charts.HEIGHT, caption);
    }
}
