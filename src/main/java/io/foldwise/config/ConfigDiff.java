package io.foldwise.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** The settings two configurations disagree on, for refusing to resume a run with another config. */
public final class ConfigDiff {
    /**
     * Keys that do not change a run's results: where it is written and how it is scheduled, and the
     * trial and time budgets (so that a re-issued sweep can be given more). A resumed run may
     * change them.
     */
    public static final List<String> IGNORED_PREFIXES = List.of("run.", "sweep.parallelTrials", "sweep.failFast",
            "train.exportDir", "sweep.maxTrials", "sweep.timeBudget");

    private ConfigDiff() {
    }

    /** "key: was X, now Y" for each key whose value differs, in key order. */
    public static List<String> between(Config before, Config after) {
        Map<String, String> a = flatten(before);
        Map<String, String> b = flatten(after);
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String key : keys) {
            if (IGNORED_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String was = a.getOrDefault(key, "(unset)");
            String now = b.getOrDefault(key, "(unset)");
            if (!was.equals(now)) {
                out.add(key + ": was " + was + ", now " + now);
            }
        }
        return out;
    }

    private static Map<String, String> flatten(Config c) {
        Map<String, String> m = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
            m.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
        }
        return m;
    }
}
