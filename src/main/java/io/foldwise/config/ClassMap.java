package io.foldwise.config;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code data.classes}: which source classes (class folder names, IDX label values) are used and
 * under which name. The empty map keeps every class under its own name. Otherwise each entry maps a
 * source class to the class it becomes (several sources may share one target, merging them), and
 * the entry {@link #OTHERS} ({@code "*"}) names the class every unlisted source becomes; without it
 * unlisted sources are dropped. The list form of the key ({@code ["3", "5"]}) is the map of each
 * name to itself. The same map applies to training, test and predict data and is stored with the
 * model. Class names (labels) are the distinct targets, sorted by name.
 *
 * @param entries source class (or {@code "*"}) to target class, sorted by source
 */
public record ClassMap(SortedMap<String, String> entries) implements Serializable {
    /** The key that stands for every source class not listed. */
    public static final String OTHERS = "*";
    /** Every class, as it is. */
    public static final ClassMap ALL = new ClassMap(new TreeMap<>());
    private static final long serialVersionUID = 1L;

    public ClassMap {
        Problems p = new Problems();
        entries.forEach((k, v) -> {
            p.check(k != null && !k.isBlank(), "data.classes", "name source classes (non-empty keys)", "\"" + k + "\"");
            p.check(v != null && !v.isBlank(), "data.classes." + quote(k),
                    "name the class it becomes (a non-empty string)", v == null ? "nothing" : "\"" + v + "\"");
        });
        p.throwIfAny();
        entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** The list form: keep exactly these classes, under their own names. */
    public static ClassMap keep(Collection<String> names) {
        TreeMap<String, String> m = new TreeMap<>();
        names.forEach(n -> m.put(n, n));
        return new ClassMap(m);
    }

    /** Whether every class is kept under its own name. */
    public boolean all() {
        return entries.isEmpty();
    }

    /** The class {@code source} becomes, or empty if it is dropped. */
    public Optional<String> target(String source) {
        if (all()) {
            return Optional.of(source);
        }
        String t = entries.get(source);
        return Optional.ofNullable(t != null ? t : entries.get(OTHERS));
    }

    /** The distinct classes {@code sources} become, sorted by name: the label names. */
    public List<String> targets(Collection<String> sources) {
        TreeSet<String> out = new TreeSet<>();
        sources.forEach(s -> target(s).ifPresent(out::add));
        return List.copyOf(out);
    }

    /** The listed source classes (not {@code "*"}) that are not among {@code sources}. */
    public List<String> unknown(Collection<String> sources) {
        TreeSet<String> out = new TreeSet<>(entries.keySet());
        out.remove(OTHERS);
        out.removeAll(sources);
        return List.copyOf(out);
    }

    /** How the map reads in HOCON, for messages. */
    @Override
    public String toString() {
        if (all()) {
            return "[] (every class)";
        }
        StringBuilder b = new StringBuilder("{ ");
        entries.forEach((k, v) -> b.append(b.length() > 2 ? ", " : "").append(quote(k)).append(" = ").append(quote(v)));
        return b.append(" }").toString();
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Convenience for callers holding a plain map (e.g. read back from JSON). */
    public static ClassMap of(Map<String, String> entries) {
        return new ClassMap(new TreeMap<>(entries));
    }
}
