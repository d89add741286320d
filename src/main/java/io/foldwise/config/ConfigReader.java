package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Typed reads from a merged config that record a problem (naming key, value and what is allowed)
 * instead of throwing, so one pass reports every mistake. A bad value reads as the reference
 * default, letting validation of the other keys go on.
 */
final class ConfigReader {
    private final Config config;
    private final Config reference;
    private final Problems problems;
    /** Key of the enclosing object for nested readers (null at top level), used in messages. */
    private final String prefix;

    ConfigReader(Config config, Problems problems) {
        this(config, ConfigLoader.reference(), problems, null);
    }

    private ConfigReader(Config config, Config reference, Problems problems, String prefix) {
        this.config = config;
        this.reference = reference;
        this.problems = problems;
        this.prefix = prefix;
    }

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
        problems.check(false, key, "be a number", render(v));
        return reference.getDouble(key);
    }

    int integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            problems.check(false, key, "be a whole number", render(value(key)));
            return reference.getInt(key);
        }
        return (int) d;
    }

    long longValue(String key) {
        double d = number(key);
        if (d != Math.rint(d)) {
            problems.check(false, key, "be a whole number", render(value(key)));
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
        problems.check(false, key, "be true or false", render(v));
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
        problems.check(false, key, "be a string", render(v));
        return reference.hasPath(key) ? reference.getString(key) : "";
    }

    /** A number that may be absent or null (meaning "unknown"). */
    java.util.OptionalDouble optionalNumber(String key) {
        return value(key) == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(number(key));
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
                problems.check(false, key + "[" + i + "]", "be a number", render(e));
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
        problems.check(false, key, "be a list of two numbers such as [0.9, 1.1]", render(v));
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
        problems.check(false, key, "be a number or a list of two numbers such as [2, 1]", render(v));
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
        problems.check(false, key, "be a list such as [a, b]", render(v));
        return List.of();
    }

    /** The entries of an object such as {@code sweep.grid}, keys sorted; absent or null reads as empty. */
    java.util.SortedMap<String, ConfigValue> entries(String key) {
        java.util.SortedMap<String, ConfigValue> out = new java.util.TreeMap<>();
        ConfigValue v = value(key);
        if (v == null) {
            return out;
        }
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.check(false, key, "be an object such as { l2 = [1e-4, 1e-3] }", render(v));
            return out;
        }
        out.putAll((ConfigObject) v);
        return out;
    }

    /** A string that may be absent, null or empty (all meaning "not set"). */
    Optional<String> optionalString(String key) {
        if (!config.hasPath(key)) {
            return Optional.empty();
        }
        String s = string(key);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) {
        String s = string(key);
        return parseChoice(s, key, type, Enum.valueOf(type, reference.getString(key).toUpperCase(Locale.ROOT)));
    }

    private <E extends Enum<E>> E parseChoice(String s, String key, Class<E> type, E fallback) {
        try {
            return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.check(false, key, "be one of " + choices(type), "\"" + s + "\"");
            return fallback;
        }
    }

    static <E extends Enum<E>> String choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(" | "));
    }

    /** Reads {@code {mlp = [..]}} or {@code {cnn = [..], dense = [..]}}, with optional activation and leakyAlpha. */
    ArchitectureSpec architecture(String key) {
        ConfigValue v = value(key);
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            problems.check(false, key, "be an object such as {mlp = [128]} or {cnn = [...], dense = [64]}", render(v));
            return null;
        }
        return architecture(((ConfigObject) v).toConfig(), key);
    }

    ArchitectureSpec architecture(Config spec, String key) {
        boolean mlp = spec.hasPath("mlp");
        boolean cnn = spec.hasPath("cnn");
        for (String k : spec.root().keySet()) {
            if (!List.of("mlp", "cnn", "dense", "activation", "leakyAlpha").contains(k)) {
                problems.add(key + "." + k + " is not an architecture setting; use mlp, cnn, dense, activation, leakyAlpha");
            }
        }
        if (mlp == cnn) {
            problems.add(key + " must have exactly one of mlp = [sizes] or cnn = [blocks], got "
                    + spec.root().render(com.typesafe.config.ConfigRenderOptions.concise()));
            return null;
        }
        ConfigReader local = new ConfigReader(spec, ConfigFactory.empty(), problems, key);
        Activation activation = spec.hasPath("activation")
                ? local.parseChoice(local.string2("activation"), key + ".activation", Activation.class, Activation.RELU)
                : Activation.RELU;
        double alpha = spec.hasPath("leakyAlpha") ? local.number2("leakyAlpha") : 0.01;
        return problems.collect(() -> mlp
                ? new MlpSpec(local.ints("mlp"), activation, alpha)
                : new CnnSpec(local.blocks("cnn", activation), spec.hasPath("dense") ? local.ints("dense") : List.of(),
                        activation, alpha));
    }

    private String full(String key) {
        return prefix == null ? key : prefix + "." + key;
    }

    private String string2(String key) {
        ConfigValue v = config.getValue(key);
        return String.valueOf(v.unwrapped());
    }

    private double number2(String key) {
        ConfigValue v = config.getValue(key);
        if (v.valueType() == ConfigValueType.NUMBER) {
            return ((Number) v.unwrapped()).doubleValue();
        }
        problems.check(false, full(key), "be a number", render(v));
        return 0.01;
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
                if (!List.of("conv", "pool", "kernel", "stride", "padding", "activation").contains(k)) {
                    problems.add(bk + "." + k + " is not a block setting; use conv, pool, kernel, stride, padding, activation");
                }
            }
            if (!b.hasPath("kernel")) {
                problems.add(bk + ".kernel is missing; give the square kernel side, e.g. kernel = 3");
                continue;
            }
            int kernel = (int) br.number2("kernel");
            if (b.hasPath("conv")) {
                Activation act = b.hasPath("activation")
                        ? br.parseChoice(br.string2("activation"), bk + ".activation", Activation.class, defaultActivation)
                        : null;
                out.add(new CnnBlock.Conv((int) br.number2("conv"), kernel,
                        b.hasPath("stride") ? (int) br.number2("stride") : 1,
                        b.hasPath("padding") ? (int) br.number2("padding") : 0, act));
            } else {
                PoolType type = br.parseChoice(br.string2("pool"), bk + ".pool", PoolType.class, PoolType.MAX);
                out.add(new CnnBlock.Pool(type, kernel, b.hasPath("stride") ? (int) br.number2("stride") : kernel));
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
        return v.valueType() == ConfigValueType.STRING ? "\"" + v.unwrapped() + "\""
                : v.render(com.typesafe.config.ConfigRenderOptions.concise());
    }
}
