package io.foldwise.select;

import io.foldwise.config.TrainConfig;
import io.foldwise.train.StopPoint;
import java.util.List;
import java.util.Locale;

/**
 * How many epochs the refit trains. The refit has no validation fold to stop on, so with early
 * stopping it trains for the epoch count cross-validation chose: the mean best epoch of the chosen
 * point's folds, rounded (at least 1). Without early stopping, or when no fold recorded its best
 * epoch (an older run), it trains {@code train.epochs}.
 *
 * @param epochs the refit's epoch count
 * @param reason one sentence saying where the count came from, for best/params.json and the report
 */
public record RefitEpochs(int epochs, String reason) {
    /** Of the chosen point's train config and its folds' stop points. */
    public static RefitEpochs of(TrainConfig chosen, List<StopPoint> folds) {
        List<StopPoint> known = folds.stream().filter(StopPoint::known).toList();
        if (!chosen.earlyStopping().enabled() || known.isEmpty()) {
            return new RefitEpochs(chosen.epochs(), "train.epochs (" + chosen.epochs() + ")");
        }
        double mean = known.stream().mapToInt(StopPoint::bestEpoch).average().orElseThrow();
        int epochs = Math.max(1, (int) Math.round(mean));
        return new RefitEpochs(epochs, String.format(Locale.ROOT, "the mean best epoch of the chosen point's %d "
                + "fold(s) under early stopping (%.2f, rounded): the refit has no validation fold to stop on",
                known.size(), mean));
    }
}
