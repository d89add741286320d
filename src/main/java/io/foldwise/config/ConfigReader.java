package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Typed reads from one already-parsed config that record a problem (naming key, value and what is
 * allowed) instead of throwing, so one pass reports every mistake. A bad value reads as the
 * reference default (or a neutral stand-in where there is none), letting validation of the other
 * keys go on. It reads only: loading files and overrides is {@link ConfigLoader}'s job.
 */
final class ConfigReader {
    /** The architecture settings that fall back to reference.conf when an architecture omits them. */
    private static final List<String> INHERITED_ARCHITECTURE_KEYS = List.of("activation", "leakyAlpha");
    private static final List<String> ARCHITECTURE_KEYS = List.of("mlp", "cnn", "dense", "activation", "leakyAlpha");
    private static final List<String> BLOCK_KEYS = List.of("conv", "pool", "kernel", "stride", "padding", "activation");
    private static final List<String> TRANSFER_KEYS = List.of("from", "freeze");

    private final Config config;
    private final Config reference;
    private final Problems problems;
    /** Key of the enclosing object for nested readers (null at top level), used in messages. */
    private final String prefix;

    /**
     * @param config    the merged config to read
     * @param reference Foldwise's defaults: what a bad value reads as, so other checks can go on
     * @param problems  where problems are recorded
     */
    ConfigReader(Config config, Config reference, Problems problems) {
        this(config, reference, problems, null);
    }

    private ConfigReader(Config config, Config reference, Problems problems, String prefix) {
        this.config = config;
        this.reference = reference;
        this.problems = problems;
        this.prefix = prefix;
    }

    /** A number, or a string that parses as one. */
    double number(String key) {
        ConfigValue v = value(key);
        if (v != null && v.valueType() == ConfigValueType.NUMBER) {
            return ((Number) v.unwrapped()).doubleValue();
        }
        if (v != null && v.valueType() == ConfigValueType.STRING) {
            try {
                return Double.parseDouble(((String) v.unwrapped()).trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problems.check(false, full(key), "be a number", render(v));
        // A nested object (a CNN block) has no reference; 0 is then rejected by the record's own range check.
        return reference.hasPath(key) ? reference.getDouble(key) : 0;
    }

    int integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            problems.check(false, full(key), "be a whole number", render(value(key)));
            return reference.getInt(key);
        }
        return (int) d;
    }

    long longValue(String key) {
        double d = number(key);
        if (d != Math.rint(d)) {
            problems.check(false, full(key), "be a whole number", render(value(key)));
            return reference.getLong(key);
        }
        ConfigValue v = value(key);
        return v != null && v.unwrapped() instanceof Number n ? n.longValue() : (long) d;
    }

    boolean bool(String key) {
        ConfigValue v = value(key);
        Boolean b = booleanOf(v);
        if (b != null) {
            return b;
        }
        problems.check(false, full(key), "be true or false", render(v));
        return reference.getBoolean(key);
    }

    /** A boolean, or the string "true" or "false" (any case); null for anything else. */
    static Boolean booleanOf(ConfigValue v) {
        if (v != null && v.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) v.unwrapped();
        }
        if (v != null && v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("false")) {
                return Boolean.parseBoolean(s);
            }
        }
        return null;
    }

    String string(String key) {
        ConfigValue v = value(key);
        if (v != null && (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER)) {
            return String.valueOf(v.unwrapped());
        }
        problems.check(false, full(key), "be a string", render(v));
        return reference.hasPath(key) ? reference.getString(key) : "";
    }

    /** A number that may be absent or null (meaning "unknown"). */
    OptionalDouble optionalNumber(String key) {
        return value(key) == null ? OptionalDouble.empty() : OptionalDouble.of(number(key));
    }

    /** A list of numbers; a bad element is reported as {@code key[i]} and skipped. */
    List<Double> numbers(String key) {
        List<Double> out = new ArrayList<>();
        List<ConfigValue> list = list(key);
        for (int i = 0; i < list.size(); i++) {
            ConfigValue e = list.get(i);
            if (e.valueType() == ConfigValueType.NUMBER) {
                out.add(((Number) e.unwrapped()).doubleValue());
            } else {
                problems.check(false, full(key) + "[" + i + "]", "be a number", render(e));
            }
        }
        return out;
    }

    /** A list of exactly two numbers {@code [a, b]}; anything else is reported and reads as the reference value. */
    double[] pair(String key) {
        ConfigValue v = value(key);
        if (v != null && v.valueType() == ConfigValueType.LIST && ((ConfigList) v).size() == 2
                && ((ConfigList) v).stream().allMatch(e -> e.valueType() == ConfigValueType.NUMBER)) {
            ConfigList list = (ConfigList) v;
            return new double[] {((Number) list.get(0).unwrapped()).doubleValue(),
                ((Number) list.get(1).unwrapped()).doubleValue()};
        }
        problems.check(false, full(key), "be a list of two numbers such as [0.9, 1.1]", render(v));
        return referencePair(key);
    }

    /** One number {@code n} (read as {@code [n, n]}) or a list of two; anything else is reported. */
    double[] numberOrPair(String key) {
        ConfigValue v = value(key);
        if (v != null && v.valueType() == ConfigValueType.LIST) {
            return pair(key);
        }
        if (v != null && v.valueType() == ConfigValueType.NUMBER) {
            double d = ((Number) v.unwrapped()).doubleValue();
            return new double[] {d, d};
        }
        problems.check(false, full(key), "be a number or a list of two numbers such as [2, 1]", render(v));
        return referencePair(key);
    }

    private double[] referencePair(String key) {
        if (reference.getValue(key).valueType() == ConfigValueType.LIST) {
            List<Double> d = reference.getDoubleList(key);
            return new double[] {d.get(0), d.get(1)};
        }
        double d = reference.getDouble(key);
        return new double[] {d, d};
    }

    /** A list of any values; anything else is reported and reads as empty. */
    List<ConfigValue> list(String key) {
        ConfigValue v = value(key);
        if (v != null && v.valueType() == ConfigValueType.LIST) {
            return List.copyOf((ConfigList) v);
        }
        problems.check(false, full(key), "be a list such as [a, b]", render(v));
        return List.of();
    }

    /** The entries of an object such as {@code sweep.grid}, keys sorted; absent or null reads as empty. */
    SortedMap<String, ConfigValue> entries(String key) {
        SortedMap<String, ConfigValue> out = new TreeMap<>();
        ConfigValue v = value(key);
        if (v == null) {
            return out;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.check(false, full(key), "be an object such as { l2 = [1e-4, 1e-3] }", render(v));
            return out;
        }
        out.putAll((ConfigObject) v);
        return out;
    }

    /**
     * {@code data.classes}: absent, null or {@code []} keeps every class; a list of class names keeps
     * those; an object maps source classes (and {@code "*"}, every other one) to the class they become.
     */
    ClassMap classes(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return ClassMap.ALL;
        }
        TreeMap<String, String> m = new TreeMap<>();
        boolean ok = true;
        if (v.valueType() == ConfigValueType.LIST) {
            ConfigList list = (ConfigList) v;
            for (int i = 0; i < list.size(); i++) {
                String name = className(list.get(i));
                if (name == null) {
                    ok = false;
                    problems.check(false, full(key) + "[" + i + "]", "be a class name (a non-empty string)",
                            render(list.get(i)));
                } else {
                    m.put(name, name);
                }
            }
        } else if (v.valueType() == ConfigValueType.OBJECT) {
            for (Map.Entry<String, ConfigValue> e : ((ConfigObject) v).entrySet()) {
                String target = className(e.getValue());
                if (target == null) {
                    ok = false;
                    problems.add(full(key) + ".\"" + e.getKey() + "\" must be the class it becomes (a non-empty "
                            + "string), got " + render(e.getValue()));
                } else {
                    m.put(e.getKey(), target);
                }
            }
        } else {
            problems.check(false, full(key), "be a list of class names such as [\"3\", \"5\"] or an object mapping "
                    + "source classes to the class they become such as { \"3\" = three, \"*\" = rest }", render(v));
            return ClassMap.ALL;
        }
        if (!ok) {
            return ClassMap.ALL;
        }
        ClassMap map = problems.collect(() -> new ClassMap(m));
        return map == null ? ClassMap.ALL : map;
    }

    private static String className(ConfigValue v) {
        if (v == null || (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER)) {
            return null;
        }
        String s = String.valueOf(v.unwrapped()).trim();
        return s.isEmpty() ? null : s;
    }

    /** A duration such as {@code 2h} or {@code 90m} (HOCON's units); empty when absent, null or empty. */
    Optional<Duration> optionalDuration(String key) {
        Optional<String> text = optionalString(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Duration d = ConfigFactory.parseString("d = \"" + text.get() + "\"")
                    .getDuration("d");
            problems.check(!d.isNegative() && !d.isZero(), full(key), "be a positive duration such as 2h or 90m",
                    "\"" + text.get() + "\"");
            return Optional.of(d);
        } catch (ConfigException e) {
            problems.check(false, full(key), "be a duration such as 2h, 90m or 30s (or empty for none)",
                    "\"" + text.get() + "\"");
            return Optional.empty();
        }
    }

    /** A string that may be absent, null or empty (all meaning "not set"). */
    Optional<String> optionalString(String key) {
        if (!config.hasPath(key)) {
            return Optional.empty();
        }
        String s = string(key);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /** One of {@code type}'s constants, by name in any case; a bad value reads as the reference's. */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        return choice(key, type, reference.hasPath(key) ? parse(reference.getString(key), type) : null);
    }

    private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        ConfigValue v = value(key);
        if (v == null || (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER)) {
            problems.check(false, full(key), "be a string", render(v));
            return fallback;
        }
        String s = String.valueOf(v.unwrapped());
        E parsed = parse(s, type);
        problems.check(parsed != null, full(key), "be one of " + choices(type), "\"" + s + "\"");
        return parsed != null ? parsed : fallback;
    }

    private static <E extends Enum<E>> E parse(String s, Class<E> type) {
        try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" | "));
    }

    /**
     * Reads {@code {mlp = [..]}} or {@code {cnn = [..], dense = [..]}}, with optional activation and
     * leakyAlpha (defaults from the reference's architecture); null after recording why it is bad.
     */
    ArchitectureSpec architecture(String key) {
        ConfigValue v = value(key);
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            problems.check(false, full(key), "be an object such as {mlp = [128]} or {cnn = [...], dense = [64]}",
                    render(v));
            return null;
        }
        Config spec = ((ConfigObject) v).toConfig();
        String at = full(key);
        for (String k : spec.root().keySet()) {
            if (!ARCHITECTURE_KEYS.contains(k)) {
                problems.add(at + "." + k + " is not an architecture setting; use " + String.join(", ", ARCHITECTURE_KEYS));
            }
        }
        boolean mlp = spec.hasPath("mlp");
        if (mlp == spec.hasPath("cnn")) {
            problems.add(at + " must have exactly one of mlp = [sizes] or cnn = [blocks], got "
                    + spec.root().render(ConfigRenderOptions.concise()));
            return null;
        }
        Config defaults = inheritedArchitectureDefaults(key);
        ConfigReader local = new ConfigReader(spec.withFallback(defaults), defaults, problems, at);
        Activation activation = local.choice("activation", Activation.class);
        double alpha = local.number("leakyAlpha");
        return problems.collect(() -> mlp
                ? new MlpSpec(local.ints("mlp"), activation, alpha)
                : new CnnSpec(local.blocks("cnn", activation), spec.hasPath("dense") ? local.ints("dense") : List.of(),
                        activation, alpha));
    }

    /**
     * Reads {@code {}} (from scratch) or {@code {from = <uri>, freeze = <n|all-but-output>}}; absent or
     * null reads as from scratch. A bad part is recorded and reads as from scratch.
     */
    TransferSpec transfer(String key) {
        ConfigValue v = value(key);
        if (v == null) {
            return TransferSpec.SCRATCH;
        }
        String at = full(key);
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.check(false, at, "be an object such as {} (from scratch) or {from = \"runs/source\", freeze = "
                    + TransferSpec.ALL_BUT_OUTPUT_NAME + "}", render(v));
            return TransferSpec.SCRATCH;
        }
        ConfigObject o = (ConfigObject) v;
        for (String k : o.keySet()) {
            if (!TRANSFER_KEYS.contains(k)) {
                problems.add(at + "." + k + " is not a transfer setting; use " + String.join(", ", TRANSFER_KEYS));
            }
        }
        Optional<String> from = Optional.empty();
        ConfigValue f = o.get("from");
        if (f != null && f.valueType() != ConfigValueType.NULL) {
            if (f.valueType() == ConfigValueType.STRING && !((String) f.unwrapped()).isBlank()) {
                from = Optional.of(((String) f.unwrapped()).trim());
            } else if (f.valueType() != ConfigValueType.STRING) {
                problems.check(false, at + ".from", "be a run directory or model.zip path or URI", render(f));
            }
        }
        int freeze = 0;
        ConfigValue z = o.get("freeze");
        if (z != null && z.valueType() != ConfigValueType.NULL) {
            if (z.valueType() == ConfigValueType.STRING
                    && ((String) z.unwrapped()).trim().equalsIgnoreCase(TransferSpec.ALL_BUT_OUTPUT_NAME)) {
                freeze = TransferSpec.ALL_BUT_OUTPUT;
            } else if (z.valueType() == ConfigValueType.NUMBER && ((Number) z.unwrapped()).doubleValue() % 1 == 0
                    && ((Number) z.unwrapped()).doubleValue() >= 0) {
                freeze = ((Number) z.unwrapped()).intValue();
            } else {
                problems.check(false, at + ".freeze", "be a number of leading blocks >= 0 or "
                        + TransferSpec.ALL_BUT_OUTPUT_NAME, render(z));
            }
        }
        Optional<String> source = from;
        int frozen = freeze;
        TransferSpec spec = problems.collect(() -> new TransferSpec(source, frozen));
        return spec != null ? spec : TransferSpec.SCRATCH;
    }

    /**
     * The reference's architecture at {@code key}: a valid spec that stands in for a bad one, so
     * that the other train keys can still be checked.
     */
    ArchitectureSpec referenceArchitecture(String key) {
        return new ConfigReader(reference, reference, new Problems()).architecture(key);
    }

    /** The reference architecture's activation and leakyAlpha, the one place their defaults come from. */
    private Config inheritedArchitectureDefaults(String key) {
        Config defaults = ConfigFactory.empty();
        if (reference.hasPath(key)) {
            Config architecture = reference.getConfig(key);
            for (String k : INHERITED_ARCHITECTURE_KEYS) {
                if (architecture.hasPath(k)) {
                    defaults = defaults.withValue(k, architecture.getValue(k));
                }
            }
        }
        return defaults;
    }

    private String full(String key) {
        return prefix == null ? key : prefix + "." + key;
    }

    private List<Integer> ints(String key) {
        ConfigValue v = config.getValue(key);
        List<Integer> out = new ArrayList<>();
        if (v.valueType() != ConfigValueType.LIST) {
            problems.check(false, full(key), "be a list of layer sizes such as [128, 64]", render(v));
            return out;
        }
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue e = list.get(i);
            if (e.valueType() == ConfigValueType.NUMBER && ((Number) e.unwrapped()).doubleValue() % 1 == 0) {
                out.add(((Number) e.unwrapped()).intValue());
            } else {
                problems.check(false, full(key) + "[" + i + "]", "be a whole number of units", render(e));
            }
        }
        return out;
    }

    private List<CnnBlock> blocks(String key, Activation defaultActivation) {
        ConfigValue v = config.getValue(key);
        List<CnnBlock> out = new ArrayList<>();
        if (v.valueType() != ConfigValueType.LIST) {
            problems.check(false, full(key), "be a list of blocks such as [{conv = 32, kernel = 4}, {pool = max, kernel = 3}]",
                    render(v));
            return out;
        }
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
            String bk = full(key) + "[" + i + "]";
            if (list.get(i).valueType() != ConfigValueType.OBJECT) {
                problems.check(false, bk, "be an object such as {conv = 32, kernel = 4}", render(list.get(i)));
                continue;
            }
            Config b = ((ConfigObject) list.get(i)).toConfig();
            ConfigReader br = new ConfigReader(b, ConfigFactory.empty(), problems, bk);
            if (b.hasPath("conv") == b.hasPath("pool")) {
                problems.add(bk + " must have exactly one of conv = <filters> or pool = max|avg");
                continue;
            }
            for (String k : b.root().keySet()) {
                if (!BLOCK_KEYS.contains(k)) {
                    problems.add(bk + "." + k + " is not a block setting; use " + String.join(", ", BLOCK_KEYS));
                }
            }
            if (!b.hasPath("kernel")) {
                problems.add(bk + ".kernel is missing; give the square kernel side, e.g. kernel = 3");
                continue;
            }
            int kernel = (int) br.number("kernel");
            if (b.hasPath("conv")) {
                Activation act = b.hasPath("activation")
                        ? br.choice("activation", Activation.class, defaultActivation)
                        : null;
                out.add(new CnnBlock.Conv((int) br.number("conv"), kernel,
                        b.hasPath("stride") ? (int) br.number("stride") : 1,
                        b.hasPath("padding") ? (int) br.number("padding") : 0, act));
            } else {
                PoolType type = br.choice("pool", PoolType.class, PoolType.MAX);
                out.add(new CnnBlock.Pool(type, kernel, b.hasPath("stride") ? (int) br.number("stride") : kernel));
            }
        }
        return out;
    }

    private ConfigValue value(String key) {
        return config.hasPathOrNull(key) && !config.getIsNull(key) ? config.getValue(key) : null;
    }

    static String render(ConfigValue v) {
        if (v == null) {
            return "nothing";
        }
        return v.valueType() == ConfigValueType.STRING ? "\"" + v.unwrapped() + "\"" : v.render(ConfigRenderOptions.concise());
    }
}
