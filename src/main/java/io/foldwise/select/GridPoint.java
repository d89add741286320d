package io.foldwise.select;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import io.foldwise.config.ArchitectureSpec;
import io.foldwise.config.AugmentConfig;
import io.foldwise.config.EarlyStopping;
import io.foldwise.config.SweepConfig;
import io.foldwise.config.TrainConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One point of a sweep grid: a value for each grid key, and the train config it gives.
 *
 * @param id     stable short hex id: a hash of the canonical rendering ({@link #canonical}) of the
 *               point's values with keys sorted, so it depends neither on the order of grid keys
 *               nor on how a value was spelled ({@code 1e-3} and {@code 0.001} give the same id)
 * @param values grid key → the value as written, in grid key order
 * @param train  the base train section with {@code values} overlaid
 * @param label  human-readable {@code key=value} pairs in grid key order, e.g.
 *               {@code architecture=mlp[64]/relu l2=0.001 augment=true}
 */
public record GridPoint(String id, Map<String, ConfigValue> values, TrainConfig train, String label) {
    /** Hex digits kept of the SHA-256 hash (48 bits). */
    public static final int ID_LENGTH = 12;

    public GridPoint {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Builds the point with its id and label computed from {@code train}'s values of the grid keys. */
    public static GridPoint of(Map<String, ConfigValue> values, TrainConfig train) {
        String label = values.keySet().stream().map(k -> k + "=" + canonical(values, train, k))
                .collect(Collectors.joining(" "));
        return new GridPoint(idOf(values, train), values, train, label);
    }

    /**
     * This point training {@code resolved} (a transfer point's config with its source's
     * architecture), keeping its id and values; with {@code showArchitecture} and no architecture
     * grid key, the label names the architecture the point really trains.
     */
    public GridPoint resolved(TrainConfig resolved, boolean showArchitecture) {
        String text = of(values, resolved).label();
        if (showArchitecture && !values.containsKey("architecture")) {
            text += " architecture=" + resolved.architecture().describe();
        }
        return new GridPoint(id, values, resolved, text);
    }

    /** The stable id of the point with these grid keys: a hash of {@code key=value} lines, keys sorted. */
    public static String idOf(TrainConfig train, Collection<String> keys) {
        return hash(new TreeSet<>(keys), k -> canonical(train, k));
    }

    /** {@link #idOf(TrainConfig, Collection)}, also for the {@code augment} grid key (read from {@code values}). */
    static String idOf(Map<String, ConfigValue> values, TrainConfig train) {
        return hash(new TreeSet<>(values.keySet()), k -> canonical(values, train, k));
    }

    private static String hash(TreeSet<String> keys, UnaryOperator<String> canonical) {
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            text.append(key).append('=').append(canonical.apply(key)).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, ID_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The grid values as a JSON object, each as its config renders it (for params.json). */
    public ObjectNode valuesJson() {
        ObjectNode n = io.foldwise.store.Json.object();
        values.forEach((k, v) -> n.set(k, io.foldwise.store.Json.raw(
                v.render(ConfigRenderOptions.concise()))));
        return n;
    }

    /** This point's canonical rendering of one grid key's value. */
    public String canonical(String key) {
        return canonical(values, train, key);
    }

    private static String canonical(Map<String, ConfigValue> values, TrainConfig train, String key) {
        return key.equals(SweepConfig.AUGMENT_KEY) ? String.valueOf(AugmentConfig.flag(values.get(key)))
                : canonical(train, key);
    }

    /**
     * Whether this point trains on augmented data: its {@code augment} grid value if the grid lists
     * one, otherwise {@code augment.enabled}.
     */
    public boolean augments(AugmentConfig augment) {
        ConfigValue v = values.get(SweepConfig.AUGMENT_KEY);
        return v != null ? Boolean.TRUE.equals(AugmentConfig.flag(v)) : augment.enabled();
    }

    /**
     * The canonical rendering of a train key's value, read from the validated record: architectures
     * by {@link ArchitectureSpec#describe()}, numbers as plain decimals without trailing zeros,
     * enums in lower case, an empty optional as {@code ""}.
     *
     * @throws IllegalArgumentException if {@code key} is not a {@link TrainConfig} field
     */
    public static String canonical(TrainConfig train, String key) {
        for (RecordComponent c : TrainConfig.class.getRecordComponents()) {
            if (c.getName().equals(key)) {
                try {
                    return render(c.getAccessor().invoke(train));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("cannot read TrainConfig." + key, e);
                }
            }
        }
        throw new IllegalArgumentException("not a train key: " + key);
    }

    private static String render(Object v) {
        if (v instanceof ArchitectureSpec a) {
            return a.describe();
        } else if (v instanceof io.foldwise.config.TransferSpec t) {
            return t.describe();
        } else if (v instanceof EarlyStopping e) {
            return e.describe();
        } else if (v instanceof Double d) {
            return plain(d);
        } else if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        } else if (v instanceof Optional<?> o) {
            return o.map(GridPoint::render).orElse("");
        }
        return String.valueOf(v);
    }

    /** A double as a plain decimal without trailing zeros: 1e-3 → {@code 0.001}, 10.0 → {@code 10}. */
    static String plain(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : String.valueOf(d);
    }
}
