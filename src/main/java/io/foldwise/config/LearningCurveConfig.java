package io.foldwise.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;

/**
 * Which learning curves a sweep draws.
 *
 * @param fractions fractions of each fold's training part to train on, each in (0, 1], strictly
 *                  increasing; subsamples are stratified and nested. Empty = no learning curve
 * @param points    extra grid points to draw curves for besides the chosen one: a point id
 *                  (string, as in leaderboard.csv) or an object of grid values such as
 *                  {@code {l2 = 1e-3, architecture = {mlp = [64]}}}; resolved against the grid
 *                  before any training starts
 */
public record LearningCurveConfig(List<Double> fractions, List<ConfigValue> points) {
    public LearningCurveConfig {
        fractions = List.copyOf(fractions);
        points = List.copyOf(points);
        Problems p = new Problems();
        for (int i = 0; i < fractions.size(); i++) {
            double f = fractions.get(i);
            p.check(f > 0 && f <= 1, "learningCurve.fractions[" + i + "]", "be in (0, 1]", f);
        }
        for (int i = 1; i < fractions.size(); i++) {
            if (!(fractions.get(i) > fractions.get(i - 1))) {
                p.add("learningCurve.fractions must be strictly increasing (sorted, no repeats), got " + fractions);
                break;
            }
        }
        for (int i = 0; i < points.size(); i++) {
            ConfigValue v = points.get(i);
            String key = "learningCurve.points[" + i + "]";
            if (v.valueType() == ConfigValueType.STRING) {
                p.check(!((String) v.unwrapped()).isBlank(), key, "be a grid point id or an object of grid values",
                        "\"\"");
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                for (String k : ((ConfigObject) v).keySet()) {
                    if (!SweepConfig.GRID_KEYS.contains(k)) {
                        p.add(key + "." + k + " is not a train setting; a point may give any of "
                                + SweepConfig.allowedKeys());
                    }
                }
            } else {
                p.check(false, key, "be a grid point id (string) or an object of grid values such as {l2 = 1e-3}",
                        v.render(ConfigRenderOptions.concise()));
            }
        }
        p.throwIfAny();
    }
}
