package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The entry point of configuration: loads {@code reference.conf}, an optional user file and
 * {@code key=value} overrides, in that order of increasing precedence, and builds a
 * {@link FoldwiseConfig} with a {@link ConfigReader} over the merged result. Every problem, from
 * unknown keys to values out of range, is collected and reported in one {@link InvalidConfigException}.
 */
public final class ConfigLoader {
    /** Top-level sections Foldwise owns in reference.conf. */
    static final List<String> SECTIONS = List.of("run", "data", "ingest", "train", "sweep", "augment",
            "learningCurve", "diagnosis", "report");
    /** Keys whose values are free-form objects, checked by their own readers. */
    private static final Set<String> OPEN_KEYS = Set.of(TrainConfig.ARCHITECTURE, TrainConfig.TRANSFER,
            "sweep.grid", "sweep.space", "data.classes");
    /** Foldwise's sections of reference.conf, read once: a parsed Config is immutable. */
    private static final Config REFERENCE =
            ourSections(ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader()));
    private static final LevenshteinDistance EDIT_DISTANCE = LevenshteinDistance.getDefaultInstance();

    private ConfigLoader() {
    }

    /**
     * Loads and validates; {@code file} may be null. Unknown keys and bad values are reported
     * together, in one message.
     */
    public static FoldwiseConfig load(Path file, List<String> overrides) {
        List<String> unknown = new ArrayList<>();
        Config merged = merge(file, overrides, unknown);
        List<String> problems = new ArrayList<>(unknown);
        try {
            FoldwiseConfig config = fromConfig(merged);
            if (problems.isEmpty()) {
                return config;
            }
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        throw new InvalidConfigException(problems);
    }

    /** The merged, resolved HOCON: overrides, then the file, then reference defaults. */
    public static Config merge(Path file, List<String> overrides) {
        List<String> unknown = new ArrayList<>();
        Config merged = merge(file, overrides, unknown);
        if (!unknown.isEmpty()) {
            throw new InvalidConfigException(unknown);
        }
        return merged;
    }

    /** {@link #merge(Path, List)}, adding unknown keys to {@code unknown} instead of failing on them. */
    private static Config merge(Path file, List<String> overrides, List<String> unknown) {
        List<String> problems = new ArrayList<>();
        Config user = ConfigFactory.empty();
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                problems.add("--set " + override + ": expected key=value, e.g. --set train.epochs=5");
                continue;
            }
            String key = override.substring(0, eq).trim();
            try {
                Config one = ConfigFactory.parseString(key + " = " + quoteIfNeeded(override.substring(eq + 1).trim()),
                        ConfigParseOptions.defaults().setOriginDescription("--set " + key));
                user = layered(one, user);
            } catch (ConfigException e) {
                problems.add("--set " + override + ": " + e.getMessage());
            }
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                problems.add("--conf " + file + ": no such file; pass an existing HOCON file such as conf/quickstart.conf");
            } else {
                try {
                    user = layered(user, ConfigFactory.parseFile(file.toFile(),
                            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false)));
                } catch (ConfigException.Parse e) {
                    problems.add("--conf " + file + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        unknownKeys(user, REFERENCE, unknown);
        try {
            return layered(user, REFERENCE).resolve();
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /**
     * {@code higher.withFallback(lower)}, except that an architecture naming {@code mlp} or {@code cnn}
     * replaces the lower layer's whole: HOCON would merge the two objects, so a CNN given over the
     * default {@code {mlp = [128]}} would carry both {@code mlp} and {@code cnn} (and the lower
     * layer's activation). An architecture object without mlp/cnn still merges, as a tweak such as
     * {@code --set train.architecture.activation=tanh}.
     */
    private static Config layered(Config higher, Config lower) {
        if (higher.hasPath(TrainConfig.ARCHITECTURE) && lower.hasPath(TrainConfig.ARCHITECTURE)
                && higher.getValue(TrainConfig.ARCHITECTURE) instanceof ConfigObject spec
                && (spec.containsKey("mlp") || spec.containsKey("cnn"))) {
            lower = lower.withoutPath(TrainConfig.ARCHITECTURE);
        }
        // Likewise transfer = {} (from scratch) replaces the lower layer's transfer whole; other
        // transfer values merge key by key as usual.
        if (higher.hasPathOrNull(TrainConfig.TRANSFER) && lower.hasPathOrNull(TrainConfig.TRANSFER)
                && higher.getValue(TrainConfig.TRANSFER) instanceof ConfigObject transfer && transfer.isEmpty()) {
            lower = lower.withoutPath(TrainConfig.TRANSFER);
        }
        return higher.withFallback(lower);
    }

    /** Foldwise's own defaults from reference.conf. */
    public static Config reference() {
        return REFERENCE;
    }

    /** The sections of {@code all} that Foldwise owns (the class path may hold other libraries' defaults). */
    private static Config ourSections(Config all) {
        Config ours = ConfigFactory.empty();
        for (String section : SECTIONS) {
            if (all.hasPath(section)) {
                ours = ours.withValue(section, all.getValue(section));
            }
        }
        return ours;
    }

    /** Reads and validates every section of a merged config. */
    public static FoldwiseConfig fromConfig(Config merged) {
        Problems p = new Problems();
        ConfigReader r = new ConfigReader(merged, REFERENCE, p);
        RunConfig run = p.collect(() -> new RunConfig(r.string("run.output"), r.optionalString("run.id"),
                r.integer("run.lockStaleSeconds")));
        ImageShape shape = p.collect(() -> new ImageShape(r.integer("data.height"), r.integer("data.width"),
                r.integer("data.channels")));
        DataFormat format = r.choice("data.format", DataFormat.class);
        DataConfig data = shape == null ? null : p.collect(() -> new DataConfig(format, r.string("data.train"),
                r.optionalString("data.trainLabels"), r.optionalString("data.test"),
                r.optionalString("data.testLabels"), r.number("data.testFraction"), r.longValue("data.limit"), shape,
                new DataColumns(r.string("data.columns.id"), r.string("data.columns.label"),
                        r.string("data.columns.image"), r.optionalString("data.columns.path")),
                r.classes("data.classes"), r.longValue("data.limitPerClass"), r.longValue("sweep.seed"),
                r.optionalString("data.positiveClass")));
        IngestConfig ingest = p.collect(() -> new IngestConfig(r.bool("ingest.resize"), r.bool("ingest.convertChannels"),
                r.bool("ingest.dropInvalid"), r.longValue("ingest.maxPixels")));
        TrainConfig train = TrainConfig.read(r, p);
        // The architecture's fit is checked even when other train keys are bad, so that every
        // problem is reported in one pass (a throwaway Problems: the reader already reported it).
        ArchitectureSpec arch = new ConfigReader(merged, REFERENCE, new Problems()).architecture(TrainConfig.ARCHITECTURE);
        if (arch != null && shape != null) {
            arch.checkFits(shape, TrainConfig.ARCHITECTURE, p);
        }
        Map<String, List<ConfigValue>> grid = grid(r, p);
        SweepConfig sweep = p.collect(() -> new SweepConfig(r.integer("sweep.folds"), r.longValue("sweep.seed"),
                r.integer("sweep.parallelTrials"), r.choice("sweep.metric", SelectionMetric.class),
                r.bool("sweep.failFast"), grid, r.integer("sweep.repeats"),
                r.choice("sweep.select", SelectionRule.class), r.choice("sweep.search", SearchStrategy.class),
                r.integer("sweep.samples"), r.longValue("sweep.sampleSeed"), space(r, p),
                r.choice("sweep.schedule", Schedule.class), p.collect(() -> new HalvingConfig(
                        r.integer("sweep.halving.eta"), r.integer("sweep.halving.minEpochs"),
                        r.integer("sweep.halving.minFolds"))), r.integer("sweep.maxTrials"),
                r.optionalDuration("sweep.timeBudget"), new ThresholdConfig(r.choice("sweep.threshold.optimise",
                ThresholdConfig.Goal.class), r.number("sweep.threshold.min"))));
        if (train != null) {
            checkGridValues(merged, grid, shape, p);
            checkTransferGrid(merged, grid, train, p);
        }
        LearningCurveConfig learningCurve = p.collect(() -> new LearningCurveConfig(
                r.numbers("learningCurve.fractions"), r.list("learningCurve.points")));
        DiagnosisConfig diagnosis = p.collect(() -> new DiagnosisConfig(r.optionalNumber("diagnosis.baselineError"),
                r.number("diagnosis.biasThreshold"), r.number("diagnosis.varianceThreshold")));
        AugmentConfig augment = AugmentConfig.read(r, p);
        p.throwIfAny();
        return new FoldwiseConfig(run, data, ingest, train, sweep, learningCurve, diagnosis, augment, merged);
    }

    /**
     * {@code sweep.grid} as key → values. Keys that are not train keys are passed on for
     * {@link SweepConfig} to reject with the list of allowed keys.
     */
    private static Map<String, List<ConfigValue>> grid(ConfigReader r, Problems p) {
        Map<String, List<ConfigValue>> grid = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.entries("sweep.grid").entrySet()) {
            String key = e.getKey();
            ConfigValue v = e.getValue();
            if (key.equals(SweepConfig.AUGMENT_KEY) || key.equals(SweepConfig.AUGMENT_KEY + ".enabled")) {
                augmentGrid(v, grid, p);
            } else if (!SweepConfig.TRAIN_KEYS.contains(key)) {
                grid.put(key, List.of(v));
            } else if (v.valueType() == ConfigValueType.LIST) {
                grid.put(key, List.copyOf((ConfigList) v));
            } else {
                p.check(false, "sweep.grid." + key, "be a list of values to try such as [a, b]",
                        ConfigReader.render(v));
            }
        }
        return grid;
    }

    /** {@code sweep.space} as train key → distribution; a bad spec is reported under its key. */
    private static Map<String, Distribution> space(ConfigReader r, Problems p) {
        Map<String, Distribution> space = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.entries("sweep.space").entrySet()) {
            Distribution d = p.collect(() -> Distribution.parse("sweep.space." + e.getKey(), e.getValue()));
            if (d != null) {
                space.put(e.getKey(), d);
            }
        }
        return space;
    }

    /**
     * {@code sweep.grid.augment}: a list of distinct booleans. Also read from
     * {@code "augment.enabled" = [...]} and {@code augment { enabled = [...] }}.
     */
    private static void augmentGrid(ConfigValue v, Map<String, List<ConfigValue>> grid, Problems p) {
        String key = "sweep.grid." + SweepConfig.AUGMENT_KEY;
        if (v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).size() == 1
                && ((ConfigObject) v).containsKey("enabled")) {
            v = ((ConfigObject) v).get("enabled");
        }
        if (v.valueType() != ConfigValueType.LIST) {
            p.check(false, key, "be a list of values to try such as [false, true]", ConfigReader.render(v));
            return;
        }
        List<ConfigValue> values = List.copyOf((ConfigList) v);
        List<Boolean> seen = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Boolean flag = AugmentConfig.flag(values.get(i));
            p.check(flag != null, key + "[" + i + "]", "be true or false", ConfigReader.render(values.get(i)));
            if (flag != null && seen.contains(flag)) {
                p.add(key + "[" + i + "] repeats " + key + "[" + seen.indexOf(flag) + "] (" + flag
                        + "); list each value once");
            }
            seen.add(flag);
        }
        grid.put(SweepConfig.AUGMENT_KEY, values);
    }

    /**
     * Validates each grid value by building the train config with that one value overlaid on the
     * (valid) base train section; problems are reported under {@code sweep.grid.<key>[i]}. Also
     * rejects an architecture that does not fit the input shape and values that repeat another.
     */
    private static void checkGridValues(Config merged, Map<String, List<ConfigValue>> grid, ImageShape shape,
                                        Problems p) {
        TrainOverlay overlay = trainOverlay(merged);
        for (String key : SweepConfig.TRAIN_KEYS) {
            List<ConfigValue> values = grid.get(key);
            if (values == null) {
                continue;
            }
            List<TrainConfig> built = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                String at = "sweep.grid." + key + "[" + i + "]";
                TrainConfig t = overlay.apply(Map.of(key, values.get(i)), k -> at, p);
                if (t != null && key.equals("architecture") && shape != null) {
                    t.architecture().checkFits(shape, at, p);
                }
                int same = t == null ? -1 : built.indexOf(t);
                if (same >= 0) {
                    p.add(at + " repeats sweep.grid." + key + "[" + same + "] ("
                            + ConfigReader.render(values.get(i)) + "); list each value once");
                }
                built.add(t);
            }
        }
    }

    /**
     * A transfer point takes its source's architecture, so a grid that lists several architectures
     * and a transfer source would train the same transferred network once per architecture value.
     */
    private static void checkTransferGrid(Config merged, Map<String, List<ConfigValue>> grid, TrainConfig train,
                                          Problems p) {
        List<ConfigValue> architectures = grid.get("architecture");
        if (architectures == null || architectures.size() < 2) {
            return;
        }
        boolean transfers = train.transfer().fromSource();
        List<ConfigValue> values = grid.get("transfer");
        if (values != null) {
            TrainOverlay overlay = trainOverlay(merged);
            transfers = values.stream().map(v -> overlay.apply(Map.of("transfer", v), k -> "sweep.grid.transfer",
                    new Problems())).anyMatch(t -> t != null && t.transfer().fromSource());
        }
        if (transfers) {
            p.add("sweep.grid.architecture lists " + architectures.size() + " architectures, but the grid also starts "
                    + "from a saved model (train.transfer.from): a transfer point trains its source's architecture, "
                    + "so every architecture value would train the same network; list one architecture, or compare "
                    + "architectures in a sweep without transfer");
        }
    }

    /**
     * The train section of {@code merged}, ready to take sweep grid values as overrides; make one
     * per base config and apply every point to it.
     */
    public static TrainOverlay trainOverlay(Config merged) {
        return new TrainOverlay(merged, REFERENCE);
    }

    /** Reads and validates the {@code train} section of a merged config. */
    public static TrainConfig trainConfig(Config merged) {
        Problems p = new Problems();
        TrainConfig t = TrainConfig.read(new ConfigReader(merged, REFERENCE, p), p);
        p.throwIfAny();
        return t;
    }

    private static void unknownKeys(Config user, Config reference, List<String> problems) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            String key = e.getKey();
            if (known.contains(key) || OPEN_KEYS.stream().anyMatch(o -> key.equals(o) || key.startsWith(o + "."))
                    || reference.hasPathOrNull(key)) {
                continue;
            }
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            String hint = SECTIONS.contains(section)
                    ? closest(key, known).map(k -> "; did you mean " + k + "?").orElse("; see reference.conf for the keys")
                    : "; top-level sections are " + String.join(", ", SECTIONS);
            problems.add(key + " is not a Foldwise setting (" + e.getValue().origin().description() + ")" + hint);
        }
    }

    /** The known key nearest to {@code key} by edit distance (ignoring case), if it is near enough to be a typo. */
    private static Optional<String> closest(String key, Set<String> known) {
        String lower = key.toLowerCase(Locale.ROOT);
        // Ties go to the first in sorted order, as the known keys are sorted.
        return known.stream()
                .map(k -> Map.entry(k, EDIT_DISTANCE.apply(lower, k.toLowerCase(Locale.ROOT))))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .filter(e -> e.getValue() <= Math.max(2, key.length() / 4))
                .map(Map.Entry::getKey);
    }

    /** Lets {@code --set data.train=/a/b} work without HOCON quoting. */
    private static String quoteIfNeeded(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean structured = value.startsWith("[") || value.startsWith("{") || value.startsWith("\"");
        boolean plain = value.matches("[A-Za-z0-9._+-]+");
        return structured || plain ? value : ConfigUtil.quoteString(value);
    }
}
