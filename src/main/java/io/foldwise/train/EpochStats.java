package io.foldwise.train;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One row of a training curve. {@code trainLoss} includes the L2 penalty (what the optimiser
 * minimises); {@code trainDataLoss} and {@code validationLoss} are the plain data loss, so J_train
 * and J_cv compare like with like. Validation fields are NaN when there is no validation set.
 * The curve's last row is the epoch training stopped at; {@code best} marks the epoch whose
 * parameters the fit kept (the last one, unless early stopping restored an earlier one).
 */
public record EpochStats(int epoch, double trainLoss, double trainDataLoss, double validationLoss,
                         double trainAccuracy, double validationAccuracy, double seconds, boolean best)
        implements Serializable {

    public static final String CSV_HEADER =
            "epoch,train_loss,train_data_loss,validation_loss,train_accuracy,validation_accuracy,seconds,best";

    public String toCsvRow() {
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%s", epoch, num(trainLoss), num(trainDataLoss),
                num(validationLoss), num(trainAccuracy), num(validationAccuracy), seconds, best);
    }

    /** The curve with {@code bestEpoch}'s row marked as the kept one. */
    public static List<EpochStats> markBest(List<EpochStats> curve, int bestEpoch) {
        return curve.stream().map(e -> new EpochStats(e.epoch, e.trainLoss, e.trainDataLoss, e.validationLoss,
                e.trainAccuracy, e.validationAccuracy, e.seconds, e.epoch == bestEpoch)).toList();
    }

    /** The epoch marked best; the last epoch for a curve written before the column existed. */
    public static int bestEpoch(List<EpochStats> curve) {
        return curve.stream().filter(EpochStats::best).mapToInt(EpochStats::epoch).findFirst()
                .orElse(curve.isEmpty() ? 0 : curve.get(curve.size() - 1).epoch());
    }

    /** The whole curve as CSV. */
    public static String toCsv(List<EpochStats> curve) {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        curve.forEach(e -> sb.append(e.toCsvRow()).append('\n'));
        return sb.toString();
    }

    /** Parses what {@link #toCsv} wrote, also without the {@code best} column (older runs: none marked). */
    public static List<EpochStats> fromCsv(String csv) {
        return csv.lines().skip(1).filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.split(",", -1);
            return new EpochStats(Integer.parseInt(f[0]), parse(f[1]), parse(f[2]), parse(f[3]), parse(f[4]),
                    parse(f[5]), parse(f[6]), f.length > 7 && Boolean.parseBoolean(f[7]));
        }).toList();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
