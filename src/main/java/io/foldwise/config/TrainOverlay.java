package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code train} section of one already-parsed config, with sweep grid values applied as
 * overrides. Each value replaces that train key's whole value in the parsed config (so
 * {@code architecture = {mlp = [64]}} does not inherit the base activation); nothing is parsed again
 * per point, only the train section is read. Made once per base config by
 * {@link ConfigLoader#trainOverlay(Config)}; immutable, so one instance serves every grid point.
 */
public final class TrainOverlay {
    private final Config base;
    private final Config reference;

    TrainOverlay(Config base, Config reference) {
        this.base = base;
        this.reference = reference;
    }

    /**
     * The base train config with {@code values} (train key → value) overlaid.
     *
     * @param rename maps a train key name (such as {@code l2}) to the key that problems with its
     *               value are reported under (such as {@code sweep.grid.l2[1]})
     * @throws InvalidConfigException listing every problem, under the renamed keys
     */
    public TrainConfig apply(Map<String, ConfigValue> values, UnaryOperator<String> rename) {
        Problems p = new Problems();
        TrainConfig t = apply(values, rename, p);
        p.throwIfAny();
        return t;
    }

    /** {@link #apply(Map, UnaryOperator)}, recording problems in {@code p}; null if there were any. */
    TrainConfig apply(Map<String, ConfigValue> values, UnaryOperator<String> rename, Problems p) {
        Config c = base;
        for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
            String key = "train." + e.getKey();
            ConfigValue v = e.getValue();
            // An object of settings (earlyStopping) takes its missing keys from the base; an
            // architecture replaces the base's whole (see the class comment).
            if (!key.equals(TrainConfig.ARCHITECTURE) && v instanceof ConfigObject o && c.hasPath(key)) {
                v = o.withFallback(c.getValue(key));
            }
            c = c.withValue(key, v);
        }
        Problems local = new Problems();
        TrainConfig t = TrainConfig.read(new ConfigReader(c, reference, local), local);
        // Messages name train.<key>; report them under the grid (or learning-curve) key that gave the value.
        List<Map.Entry<Pattern, String>> renames = values.keySet().stream()
                .map(k -> Map.entry(Pattern.compile(Pattern.quote("train." + k) + "(?![A-Za-z0-9_])"),
                        Matcher.quoteReplacement(rename.apply(k))))
                .toList();
        for (String m : local.messages()) {
            String renamed = m;
            for (Map.Entry<Pattern, String> r : renames) {
                renamed = r.getKey().matcher(renamed).replaceAll(r.getValue());
            }
            p.add(renamed.equals(m) && !values.isEmpty()
                    ? String.join(", ", values.keySet().stream().map(rename).toList()) + ": " + m
                    : renamed);
        }
        return t;
    }
}
