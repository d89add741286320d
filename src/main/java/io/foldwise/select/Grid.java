package io.foldwise.select;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.FoldwiseConfig;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.LearningCurveConfig;
import io.foldwise.config.Problems;
import io.foldwise.config.SweepConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.config.TrainOverlay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Expands a sweep grid into its points, and resolves the learning-curve points against them. */
public final class Grid {
    private Grid() {
    }

    /** {@link #expand(Config, SweepConfig)} of a loaded config. */
    public static List<GridPoint> expand(FoldwiseConfig config) {
        return expand(config.source(), config.sweep());
    }

    /**
     * The cartesian product of the grid's values, in a deterministic order: grid keys in
     * {@link SweepConfig#GRID_KEYS} order, the first key varying slowest, values in list order.
     * Each point's train config is {@code merged}'s train section with the point's values applied as
     * overrides of the already-parsed {@code merged} (see {@link TrainOverlay}).
     *
     * @throws InvalidConfigException if the grid is empty, a combination is invalid, or two points are the
     *                         same after normalisation (a value listed twice)
     */
    public static List<GridPoint> expand(Config merged, SweepConfig sweep) {
        Map<String, List<ConfigValue>> grid = sweep.grid();
        if (grid.isEmpty()) {
            throw new InvalidConfigException("sweep.grid must list at least one train key with values to try, "
                    + "e.g. sweep.grid { l2 = [1e-4, 1e-3] }, got {}; a grid may list any of "
                    + SweepConfig.allowedKeys());
        }
        List<String> keys = new ArrayList<>(grid.keySet());
        int[] index = new int[keys.size()];
        long size = sweep.gridSize();
        // The base config is parsed already: every point only overrides its values on it.
        TrainOverlay overlay = ConfigLoader.trainOverlay(merged);
        List<GridPoint> points = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        Problems problems = new Problems();
        for (long n = 0; n < size; n++) {
            Map<String, ConfigValue> values = new LinkedHashMap<>();
            Map<String, String> at = new HashMap<>();
            for (int j = 0; j < keys.size(); j++) {
                values.put(keys.get(j), grid.get(keys.get(j)).get(index[j]));
                at.put(keys.get(j), "sweep.grid." + keys.get(j) + "[" + index[j] + "]");
            }
            TrainConfig train = problems.collect(() -> overlay.apply(trainValues(values), at::get));
            if (train != null) {
                GridPoint point = GridPoint.of(values, train);
                String where = String.join(" ", at.values().stream().sorted().toList());
                String previous = seen.putIfAbsent(point.id(), where);
                if (previous != null) {
                    problems.add(where + " is the same point as " + previous + " (" + point.label()
                            + "); list each value once");
                } else {
                    points.add(point);
                }
            }
            for (int j = keys.size() - 1; j >= 0; j--) {
                if (++index[j] < grid.get(keys.get(j)).size()) {
                    break;
                }
                index[j] = 0;
            }
        }
        problems.throwIfAny();
        return List.copyOf(points);
    }

    /**
     * The grid points {@code learningCurve.points} names, in the order listed, without repeats: a
     * string must be a point id; an object's values are overlaid on the base train section and
     * must give exactly some point's train config. Call it before training starts.
     *
     * @throws InvalidConfigException naming each {@code learningCurve.points[i]} that matches no point
     */
    public static List<GridPoint> learningCurvePoints(Config merged, List<GridPoint> grid, LearningCurveConfig lc) {
        Problems problems = new Problems();
        LinkedHashSet<GridPoint> out = new LinkedHashSet<>();
        String gridKeys = grid.isEmpty() ? "" : String.join(", ", grid.get(0).values().keySet());
        TrainOverlay overlay = ConfigLoader.trainOverlay(merged);
        for (int i = 0; i < lc.points().size(); i++) {
            ConfigValue v = lc.points().get(i);
            String key = "learningCurve.points[" + i + "]";
            if (v.valueType() == ConfigValueType.STRING) {
                String id = ((String) v.unwrapped()).trim();
                grid.stream().filter(p -> p.id().equals(id)).findFirst().ifPresentOrElse(out::add,
                        () -> problems.add(key + " = \"" + id + "\" is not the id of a grid point; the ids are "
                                + grid.stream().map(p -> p.id() + " (" + p.label() + ")")
                                .collect(Collectors.joining(", "))));
            } else if (v.valueType() == ConfigValueType.OBJECT) {
                Map<String, ConfigValue> values = new LinkedHashMap<>(((ConfigObject) v));
                TrainConfig train = problems.collect(() -> overlay.apply(trainValues(values), k -> key + "." + k));
                String augment = values.containsKey(SweepConfig.AUGMENT_KEY)
                        ? String.valueOf(AugmentConfig.flag(values.get(SweepConfig.AUGMENT_KEY))) : null;
                if (train != null) {
                    grid.stream().filter(p -> p.train().equals(train) && Objects.equals(augment,
                                    p.values().containsKey(SweepConfig.AUGMENT_KEY)
                                            ? p.canonical(SweepConfig.AUGMENT_KEY) : null))
                            .findFirst().ifPresentOrElse(out::add,
                            () -> problems.add(key + " = " + v.render(ConfigRenderOptions.concise())
                                    + " matches no grid point; give one value from sweep.grid for each of "
                                    + gridKeys));
                }
            } else {
                problems.add(key + " must be a grid point id or an object of grid values, got "
                        + v.render(ConfigRenderOptions.concise()));
            }
        }
        problems.throwIfAny();
        return List.copyOf(out);
    }

    /** The train keys of a point's values (without {@code augment}), to overlay on the train section. */
    private static Map<String, ConfigValue> trainValues(Map<String, ConfigValue> values) {
        Map<String, ConfigValue> train = new LinkedHashMap<>(values);
        train.remove(SweepConfig.AUGMENT_KEY);
        return train;
    }
}
