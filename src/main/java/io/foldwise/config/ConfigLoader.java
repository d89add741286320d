package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Parse;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link FoldwiseConfig} from {@code reference.conf}, an optional user file and
 * {@code key=value} overrides, in that order of increasing precedence. Every problem, from
 * unknown keys to values out of range, is collected and reported in one {@link InvalidConfigException}.
 */
public final class ConfigLoader {
    /** Top-level sections Foldwise owns in reference.conf. */
    static final List<String> SECTIONS = List.of("run", "data", "ingest", "train", "sweep", "augment",
            "learningCurve", "diagnosis", "report");
    /** Keys whose values are free-form objects, checked by their own readers. */
    private static final Set<String> OPEN_KEYS = Set.of("train.architecture", "sweep.grid");
    private static final String ARCHITECTURE = "train.architecture";

    private ConfigLoader() {
    }

    /** Loads and validates; {@code file} may be null. */
    public static FoldwiseConfig load(Path file, List<String> overrides) {
        return fromConfig(merge(file, overrides));
    }

    /** The merged, resolved HOCON: overrides, then the file, then reference defaults. */
    public static Config merge(Path file, List<String> overrides) {
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
            } catch (com.typesafe.config.ConfigException e) {
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
                } catch (Parse e) {
                    problems.add("--conf " + file + ": " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        Config reference = reference();
        unknownKeys(user, reference, problems);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        try {
            return layered(user, reference).resolve();
        } catch (com.typesafe.config.ConfigException e) {
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
        if (higher.hasPath(ARCHITECTURE) && lower.hasPath(ARCHITECTURE)
                && higher.getValue(ARCHITECTURE) instanceof ConfigObject spec
                && (spec.containsKey("mlp") || spec.containsKey("cnn"))) {
            lower = lower.withoutPath(ARCHITECTURE);
        }
        return higher.withFallback(lower);
    }

    /** Foldwise's own defaults from reference.conf. */
    public static Config reference() {
        Config all = ConfigFactory.defaultReference(ConfigLoader.class.getClassLoader());
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
        ConfigReader r = new ConfigReader(merged, p);
        RunConfig run = p.collect(() -> new RunConfig(r.string("run.output"), r.optionalString("run.id"),
                r.integer("run.lockStaleSeconds")));
        ImageShape shape = p.collect(() -> new ImageShape(r.integer("data.height"), r.integer("data.width"),
                r.integer("data.channels")));
        DataFormat format = r.choice("data.format", DataFormat.class);
        DataConfig data = shape == null ? null : p.collect(() -> new DataConfig(format, r.string("data.train"),
                r.optionalString("data.trainLabels"), r.optionalString("data.test"),
                r.optionalString("data.testLabels"), r.number("data.testFraction"), r.longValue("data.limit"), shape));
        IngestConfig ingest = new IngestConfig(r.bool("ingest.resize"), r.bool("ingest.convertChannels"),
                r.bool("ingest.dropInvalid"));
        TrainConfig train = trainConfig(r, p);
        // The architecture's fit is checked even when other train keys are bad, so that every
        // problem is reported in one pass (a throwaway Problems: the reader already reported it).
        ArchitectureSpec arch = new ConfigReader(merged, new Problems()).architecture("train.architecture");
        if (arch != null && shape != null) {
            arch.checkFits(shape, "train.architecture", p);
        }
        Map<String, List<ConfigValue>> grid = grid(r, p);
        SweepConfig sweep = p.collect(() -> new SweepConfig(r.integer("sweep.folds"), r.longValue("sweep.seed"),
                r.integer("sweep.parallelTrials"), r.choice("sweep.metric", SelectionMetric.class),
                r.bool("sweep.failFast"), grid));
        if (train != null) {
            checkGridValues(merged, grid, shape, p);
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
        Map<String, List<ConfigValue>> grid = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : r.entries("sweep.grid").entrySet()) {
            String key = e.getKey();
            ConfigValue v = e.getValue();
            if (key.equals(SweepConfig.AUGMENT_KEY) || key.equals(SweepConfig.AUGMENT_KEY + ".enabled")) {
                augmentGrid(v, grid, p);
            } else if (!SweepConfig.TRAIN_KEYS.contains(key)) {
                grid.put(key, List.of(v));
            } else if (v.valueType() == com.typesafe.config.ConfigValueType.LIST) {
                grid.put(key, List.copyOf((com.typesafe.config.ConfigList) v));
            } else {
                p.check(false, "sweep.grid." + key, "be a list of values to try such as [a, b]",
                        ConfigReader.render(v));
            }
        }
        return grid;
    }

    /**
     * {@code sweep.grid.augment}: a list of distinct booleans. Also read from
     * {@code "augment.enabled" = [...]} and {@code augment { enabled = [...] }}.
     */
    private static void augmentGrid(ConfigValue v, Map<String, List<ConfigValue>> grid, Problems p) {
        String key = "sweep.grid." + SweepConfig.AUGMENT_KEY;
        if (v.valueType() == com.typesafe.config.ConfigValueType.OBJECT && ((ConfigObject) v).size() == 1
                && ((ConfigObject) v).containsKey("enabled")) {
            v = ((ConfigObject) v).get("enabled");
        }
        if (v.valueType() != com.typesafe.config.ConfigValueType.LIST) {
            p.check(false, key, "be a list of values to try such as [false, true]", ConfigReader.render(v));
            return;
        }
        List<ConfigValue> values = List.copyOf((com.typesafe.config.ConfigList) v);
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
        for (String key : SweepConfig.TRAIN_KEYS) {
            List<ConfigValue> values = grid.get(key);
            if (values == null) {
                continue;
            }
            List<TrainConfig> built = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                String at = "sweep.grid." + key + "[" + i + "]";
                TrainConfig t = overlay(merged, Map.of(key, values.get(i)), k -> at, p);
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
     * The train config of {@code merged} with {@code values} (train key → value) overlaid, each
     * value replacing that key's whole value (so {@code architecture = {mlp = [64]}} does not
     * inherit the base activation). Used for sweep grid points.
     *
     * @param rename maps a train key name (such as {@code l2}) to the key that problems with its
     *               value are reported under (such as {@code sweep.grid.l2[1]})
     * @throws InvalidConfigException listing every problem, under the renamed keys
     */
    public static TrainConfig overlayTrain(Config merged, Map<String, ConfigValue> values,
                                           java.util.function.UnaryOperator<String> rename) {
        Problems p = new Problems();
        TrainConfig t = overlay(merged, values, rename, p);
        p.throwIfAny();
        return t;
    }

    private static TrainConfig overlay(Config merged, Map<String, ConfigValue> values,
                                       java.util.function.UnaryOperator<String> rename, Problems p) {
        Config c = merged;
        for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
            c = c.withValue("train." + e.getKey(), e.getValue());
        }
        Problems local = new Problems();
        Config overlaid = c;
        TrainConfig t = local.collect(() -> trainConfig(overlaid));
        for (String m : local.messages()) {
            String renamed = m;
            for (String key : values.keySet()) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(
                        java.util.regex.Pattern.quote("train." + key) + "(?![A-Za-z0-9_])").matcher(renamed);
                renamed = matcher.replaceAll(java.util.regex.Matcher.quoteReplacement(rename.apply(key)));
            }
            p.add(renamed.equals(m) && !values.isEmpty()
                    ? String.join(", ", values.keySet().stream().map(rename).toList()) + ": " + m
                    : renamed);
        }
        return t;
    }

    /** Reads the {@code train} section; used for the base config and for each sweep grid point. */
    public static TrainConfig trainConfig(Config merged) {
        Problems p = new Problems();
        TrainConfig t = trainConfig(new ConfigReader(merged, p), p);
        p.throwIfAny();
        return t;
    }

    /**
     * Reads the train section, recording problems in {@code p} (once each); null if there were any.
     * A bad architecture is replaced by a stand-in so that the other fields are still checked.
     */
    private static TrainConfig trainConfig(ConfigReader r, Problems p) {
        int before = p.messages().size();
        ArchitectureSpec arch = r.architecture("train.architecture");
        ArchitectureSpec checked = arch != null ? arch : new MlpSpec(List.of(), Activation.RELU, 0.01);
        TrainConfig t = p.collect(() -> new TrainConfig(checked, r.number("train.l2"),
                r.choice("train.updater", Updater.class), r.number("train.learningRate"), r.number("train.momentum"),
                r.integer("train.epochs"), r.integer("train.batchSize"), r.choice("train.weightInit", WeightInit.class),
                r.longValue("train.seed"), r.integer("train.averagingFrequency"), r.integer("train.workers"),
                r.number("train.validationFraction"), r.optionalString("train.exportDir"),
                r.number("train.divergenceFactor")));
        return arch == null || p.messages().size() > before ? null : t;
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

    private static java.util.Optional<String> closest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = editDistance(key.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 4) ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Lets {@code --set data.train=/a/b} work without HOCON quoting. */
    private static String quoteIfNeeded(String value) {
        if (value.isEmpty()) {
            return "\"\"";
        }
        boolean structured = value.startsWith("[") || value.startsWith("{") || value.startsWith("\"");
        boolean plain = value.matches("[A-Za-z0-9._+-]+");
        return structured || plain ? value : com.typesafe.config.ConfigUtil.quoteString(value);
    }
}
