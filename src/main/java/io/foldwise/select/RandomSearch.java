package io.foldwise.select;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.foldwise.config.ConfigLoader;
import io.foldwise.config.Distribution;
import io.foldwise.config.InvalidConfigException;
import io.foldwise.config.SweepConfig;
import io.foldwise.config.TrainConfig;
import io.foldwise.config.TrainOverlay;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random search: {@code sweep.samples} distinct points drawn from {@code sweep.space}. One
 * {@link Random} seeded by {@code sweep.sampleSeed} draws the keys of each point in train-key order,
 * point after point, so the same seed gives the same points in the same order, and the first N
 * points of a longer draw are the N-point draw. A draw that repeats an earlier point is skipped.
 */
public final class RandomSearch {
    /** Draws per wanted point before giving up on finding more distinct ones (a small discrete space). */
    private static final int ATTEMPTS_PER_POINT = 100;

    private RandomSearch() {
    }

    /**
     * The drawn points, each as a grid point of the keys in the space.
     *
     * @throws InvalidConfigException when a drawn value is not a valid train value, naming
     *                                {@code sweep.space.<key>} and the draw
     */
    public static List<GridPoint> draw(Config merged, SweepConfig sweep) {
        TrainOverlay overlay = ConfigLoader.trainOverlay(merged);
        Random random = new Random(sweep.sampleSeed());
        List<GridPoint> points = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int attempt = 0; points.size() < sweep.samples()
                && attempt < sweep.samples() * ATTEMPTS_PER_POINT; attempt++) {
            Map<String, ConfigValue> values = new LinkedHashMap<>();
            for (Map.Entry<String, Distribution> e : sweep.space().entrySet()) {
                values.put(e.getKey(), e.getValue().draw(random));
            }
            int draw = attempt;
            TrainConfig train = overlay.apply(values, k -> "sweep.space." + k + " (draw " + draw + ")");
            GridPoint point = GridPoint.of(values, train);
            if (seen.add(point.id())) {
                points.add(point);
            }
        }
        return List.copyOf(points);
    }

    /** The sweep's candidates: the grid's cartesian product, or random search's draws. */
    public static List<GridPoint> candidates(Config merged, SweepConfig sweep) {
        return switch (sweep.search()) {
            case GRID -> Grid.expand(merged, sweep);
            case RANDOM -> draw(merged, sweep);
        };
    }
}
