package io.foldwise.report;

import io.foldwise.train.EpochStats;
import java.util.List;
import java.util.Optional;

/** A train run's loss and accuracy per epoch on its training and validation splits. */
final class TrainEpochsSection {
    private TrainEpochsSection() {
    }

    static void append(StringBuilder b, ReportContext ctx) {
        b.append("<section id=\"epochs\"><h2>Training per epoch</h2>\n");
        Optional<List<EpochStats>> curve = ctx.text(ctx.layout.curveCsv()).map(EpochStats::fromCsv);
        if (curve.isPresent() && !curve.get().isEmpty()) {
            List<EpochStats> c = curve.get();
            EpochCurvesSection.epochLosses(b, ctx, c, "Loss per epoch", "J_train on the training split and J_cv on "
                    + "the validation split (data losses), and the objective the optimiser minimised (with the L2 term)");
            double[] epochs = c.stream().mapToDouble(EpochStats::epoch).toArray();
            ctx.figure(b, ctx.report.trainAccuracy(), Charts.lines("Accuracy per epoch", "epoch", "accuracy",
                    Charts.XAxis.INTEGER, List.of(
                            Charts.Series.line("training accuracy", epochs,
                                    c.stream().mapToDouble(EpochStats::trainAccuracy).toArray(), Charts.TRAIN, false),
                            Charts.Series.line("validation accuracy", epochs,
                                    c.stream().mapToDouble(EpochStats::validationAccuracy).toArray(), Charts.CV, false))),
                    Charts.WIDTH, Charts.HEIGHT, "Accuracy on the training and validation splits after each epoch");
        } else {
            b.append("<p class=\"missing\">curve.csv not written.</p>\n");
        }
        b.append("</section>\n");
    }
}
