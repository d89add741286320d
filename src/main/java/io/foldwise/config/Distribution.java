package io.foldwise.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where random search draws one train key's values from ({@code sweep.space}):
 * {@code "loguniform(a, b)"}, {@code "uniform(a, b)"}, {@code "int(a, b)"} (both ends included),
 * {@code "choice([v1, v2])"} or a plain list (a choice among its values).
 */
public sealed interface Distribution {
    /** Significant digits kept of a drawn real number, so that labels stay readable. */
    MathContext DIGITS = new MathContext(4);

    /** One value, as config would spell it. */
    ConfigValue draw(Random random);

    /** e^U(ln a, ln b): for scales such as λ and the learning rate; 0 < a < b. */
    record LogUniform(double low, double high) implements Distribution {
        @Override
        public ConfigValue draw(Random random) {
            double x = Math.exp(Math.log(low) + random.nextDouble() * (Math.log(high) - Math.log(low)));
            return ConfigValueFactory.fromAnyRef(new BigDecimal(x).round(DIGITS).doubleValue());
        }
    }

    /** U(a, b); a < b. */
    record Uniform(double low, double high) implements Distribution {
        @Override
        public ConfigValue draw(Random random) {
            double x = low + random.nextDouble() * (high - low);
            return ConfigValueFactory.fromAnyRef(new BigDecimal(x).round(DIGITS).doubleValue());
        }
    }

    /** A whole number in [a, b]. */
    record IntRange(int low, int high) implements Distribution {
        @Override
        public ConfigValue draw(Random random) {
            return ConfigValueFactory.fromAnyRef(low + random.nextInt(high - low + 1));
        }
    }

    /** One of the listed values, each equally likely. */
    record Choice(List<ConfigValue> values) implements Distribution {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public ConfigValue draw(Random random) {
            return values.get(random.nextInt(values.size()));
        }
    }

    Pattern CALL = Pattern.compile("\\s*(loguniform|uniform|int|choice)\\s*\\((.*)\\)\\s*", Pattern.DOTALL);

    /**
     * Parses the spec at {@code key}.
     *
     * @throws InvalidConfigException naming {@code key}, the value and the accepted forms
     */
    static Distribution parse(String key, ConfigValue v) {
        if (v.valueType() == ConfigValueType.LIST) {
            return choice(key, (ConfigList) v);
        }
        String text = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : null;
        Matcher m = text == null ? null : CALL.matcher(text);
        if (m == null || !m.matches()) {
            throw bad(key, v, "is not a distribution");
        }
        String args = m.group(2).trim();
        if (m.group(1).equals("choice")) {
            try {
                return choice(key, ConfigFactory.parseString("v = " + args).getList("v"));
            } catch (ConfigException e) {
                throw bad(key, v, "choice needs a list such as choice([{mlp = [64]}, {mlp = [128]}])");
            }
        }
        String[] parts = args.split(",");
        double a;
        double b;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            a = Double.parseDouble(parts[0].trim());
            b = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, m.group(1) + " needs two numbers, low and high");
        }
        return switch (m.group(1)) {
            case "loguniform" -> {
                if (!(a > 0 && b > a && Double.isFinite(b))) {
                    throw bad(key, v, "loguniform needs 0 < low < high");
                }
                yield new LogUniform(a, b);
            }
            case "uniform" -> {
                if (!(b > a && Double.isFinite(a) && Double.isFinite(b))) {
                    throw bad(key, v, "uniform needs low < high");
                }
                yield new Uniform(a, b);
            }
            default -> {
                if (a != Math.rint(a) || b != Math.rint(b) || b < a) {
                    throw bad(key, v, "int needs two whole numbers, low <= high");
                }
                yield new IntRange((int) a, (int) b);
            }
        };
    }

    private static Distribution choice(String key, List<? extends ConfigValue> values) {
        if (values.isEmpty()) {
            throw new InvalidConfigException(key + " must list at least one value to choose from, got []");
        }
        return new Choice(List.copyOf(values));
    }

    private static InvalidConfigException bad(String key, ConfigValue v, String why) {
        return new InvalidConfigException(key + " = " + ConfigReader.render(v) + ": " + why + "; write "
                + "\"loguniform(1e-5, 1e-1)\", \"uniform(0, 0.9)\", \"int(16, 256)\", \"choice([a, b])\" or a list [a, b]");
    }
}
