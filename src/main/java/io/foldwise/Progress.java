package io.foldwise;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Foldwise's own progress lines. They go to the {@code foldwise} logger, which conf/log4j2.properties
 * shows at INFO while Spark and DL4J stay at WARN.
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger("foldwise");

    private Progress() {
    }

    public static void line(String format, Object... args) {
        LOG.info(String.format(Locale.ROOT, format, args));
    }

    public static void warn(String format, Object... args) {
        LOG.warn(String.format(Locale.ROOT, format, args));
    }

    /** A duration for people: {@code 2h05m}, {@code 3m07s} or {@code 42s}; an en dash when unknown. */
    public static String clock(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "–";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
