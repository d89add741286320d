package io.foldwise.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a sweep cross-validates: k folds over a grid of training hyperparameters.
 *
 * <p>The grid maps names of {@link TrainConfig} fields (the keys of the {@code train} section) to
 * the values to try; the sweep is their cartesian product. Grid keys are kept in the order
 * {@link TrainConfig} declares them ({@link #TRAIN_KEYS}), because HOCON objects do not keep the
 * order in which keys were written. Each value is validated against the base {@code train}
 * section by {@link ConfigLoader}, which reports problems under {@code sweep.grid.<key>[i]}.
 *
 * @param folds          k, the number of cross-validation folds (>= 2)
 * @param seed           seed of the fold assignment and the learning-curve subsamples
 * @param parallelTrials trials trained at once; 0 = derive from the cluster's cores at run time
 * @param metric         what selection maximises or minimises
 * @param failFast       stop the sweep at the first failed trial instead of recording it and going on
 * @param grid           grid key → values to try, in {@link #GRID_KEYS} order; may be empty here
 *                       (the {@code train} command ignores it), a sweep rejects an empty grid
 * @param repeats        R, how many times k-fold cross-validation is repeated with different fold
 *                       seeds (repeat 0 uses {@code seed} itself, so R = 1 is plain k-fold)
 * @param select         how the point is picked from the leaderboard
 * @param search         which candidates: the grid's cartesian product, or random draws from {@code space}
 * @param samples        how many points random search draws
 * @param sampleSeed     the seed of random search's draws (independent of the folds' {@code seed})
 * @param space          train key → the distribution random search draws it from, in {@link #TRAIN_KEYS} order
 * @param schedule       how candidates are trained: all in full, or successive halving
 * @param halving        successive halving's η and rung-0 budget
 * @param maxTrials      trials one invocation may start (0 = no limit); may change on resume
 * @param timeBudget     wall time after which one invocation starts no trial; may change on resume
 * @param threshold      how a two-class sweep chooses its decision threshold
 */
public record SweepConfig(int folds, long seed, int parallelTrials, SelectionMetric metric, boolean failFast,
                          Map<String, List<ConfigValue>> grid, int repeats, SelectionRule select,
                          SearchStrategy search, int samples, long sampleSeed, Map<String, Distribution> space,
                          Schedule schedule, HalvingConfig halving, int maxTrials,
                          Optional<Duration> timeBudget, ThresholdConfig threshold) {

    /** The threshold maximising F1. */
    public SweepConfig(int folds, long seed, int parallelTrials, SelectionMetric metric, boolean failFast,
                       Map<String, List<ConfigValue>> grid, int repeats, SelectionRule select,
                       SearchStrategy search, int samples, long sampleSeed, Map<String, Distribution> space,
                       Schedule schedule, HalvingConfig halving, int maxTrials, Optional<Duration> timeBudget) {
        this(folds, seed, parallelTrials, metric, failFast, grid, repeats, select, search, samples, sampleSeed, space,
                schedule, halving, maxTrials, timeBudget, ThresholdConfig.F1);
    }

    /** The keys a grid may list: the {@code train} section's keys, in {@link TrainConfig}'s order. */
    public static final List<String> TRAIN_KEYS = Arrays.stream(TrainConfig.class.getRecordComponents())
            .map(RecordComponent::getName).toList();

    /**
     * The one grid key that is not a train key: {@code augment = [false, true]} trains each point
     * without and with the {@code augment} section's augmentation (overriding {@code augment.enabled}).
     */
    public static final String AUGMENT_KEY = "augment";

    /** Every key a grid may list, in grid order: {@link #TRAIN_KEYS}, then {@link #AUGMENT_KEY}. */
    public static final List<String> GRID_KEYS = Stream.concat(TRAIN_KEYS.stream(),
            Stream.of(AUGMENT_KEY)).toList();

    public SweepConfig {
        Problems p = new Problems();
        p.check(folds >= 2, "sweep.folds", "be >= 2", folds);
        p.check(parallelTrials >= 0, "sweep.parallelTrials", "be >= 0 (0 = derive from the cluster's cores)",
                parallelTrials);
        p.check(threshold != null, "sweep.threshold", "be { optimise = f1 | precision | recall, min = ... }",
                "nothing");
        p.check(metric != null, "sweep.metric", "be one of " + ConfigReader.choices(SelectionMetric.class), "nothing");
        p.check(repeats >= 1, "sweep.repeats", "be >= 1 (1 = plain k-fold)", repeats);
        p.check(select != null, "sweep.select", "be best or oneStandardError", "nothing");
        p.check(search != null, "sweep.search", "be grid or random", "nothing");
        p.check(samples >= 1, "sweep.samples", "be >= 1", samples);
        p.check(schedule != null, "sweep.schedule", "be full or halving", "nothing");
        p.check(maxTrials >= 0, "sweep.maxTrials", "be >= 0 (0 = no limit)", maxTrials);
        p.check(halving != null, "sweep.halving", "be {eta = 3, minEpochs = 1, minFolds = 1}", "nothing");
        if (halving != null) {
            p.check(halving.minFolds() <= folds, "sweep.halving.minFolds", "be <= sweep.folds (" + folds + ")",
                    halving.minFolds());
        }
        for (String key : space.keySet()) {
            if (!TRAIN_KEYS.contains(key)) {
                p.add("sweep.space." + key + " is not a train setting; a space may list any of "
                        + String.join(", ", TRAIN_KEYS));
            }
        }
        if (search == SearchStrategy.RANDOM && space.isEmpty()) {
            p.add("sweep.space must give at least one train key a distribution when sweep.search = random, e.g. "
                    + "sweep.space { l2 = \"loguniform(1e-5, 1e-1)\" }, got {}");
        }
        Map<String, Distribution> orderedSpace = new LinkedHashMap<>();
        for (String key : TRAIN_KEYS) {
            if (space.containsKey(key)) {
                orderedSpace.put(key, space.get(key));
            }
        }
        Map<String, List<ConfigValue>> ordered = new LinkedHashMap<>();
        for (String key : grid.keySet()) {
            if (!GRID_KEYS.contains(key)) {
                p.add("sweep.grid." + key + " is not a train setting; a grid may list any of " + allowedKeys());
            }
        }
        for (String key : GRID_KEYS) {
            List<ConfigValue> values = grid.get(key);
            if (values == null) {
                continue;
            }
            p.check(!values.isEmpty(), "sweep.grid." + key, "list at least one value (or leave the key out)", "[]");
            ordered.put(key, List.copyOf(values));
        }
        p.throwIfAny();
        grid = Collections.unmodifiableMap(ordered);
        space = Collections.unmodifiableMap(orderedSpace);
    }

    /**
     * The fold seed of repeat {@code r}: {@code seed} itself for repeat 0 (so a single repeat splits as
     * plain k-fold always did), a seed derived from it for the others.
     */
    public long foldSeed(int repeat) {
        return repeat == 0 ? seed : seed * 1_000_003L + 7919L * repeat;
    }

    /** Trials per point in the full schedule: k folds times R repeats. */
    public int foldsPerPoint() {
        return folds * repeats;
    }

    /** The allowed grid keys, comma-separated, for messages. */
    public static String allowedKeys() {
        return String.join(", ", GRID_KEYS);
    }

    /** Number of grid points: the product of the value counts (1 for an empty grid). */
    public long gridSize() {
        return grid.values().stream().mapToLong(List::size).reduce(1L, (a, b) -> a * b);
    }

    /** {@code key=[v1, v2] ...}, for messages. */
    public String describeGrid() {
        return grid.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().stream()
                        .map(v -> v.render(ConfigRenderOptions.concise()))
                        .collect(Collectors.joining(", ", "[", "]")))
                .collect(Collectors.joining(" "));
    }
}
