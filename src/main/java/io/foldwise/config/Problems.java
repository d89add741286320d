package io.foldwise.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects validation problems so that every one is reported at once. Messages follow one form:
 * {@code "<key> must be <rule>, got <value>"}.
 */
public final class Problems {
    private final List<String> messages = new ArrayList<>();

    /** Records {@code key must <rule>, got value} unless {@code ok}. */
    public Problems check(boolean ok, String key, String rule, Object value) {
        if (!ok) {
            messages.add(key + " must " + rule + ", got " + value);
        }
        return this;
    }

    public Problems add(String message) {
        messages.add(message);
        return this;
    }

    /** Runs {@code build}, keeping its problems instead of failing at once; returns null on failure. */
    public <T> T collect(Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidConfigException e) {
            messages.addAll(e.problems());
            return null;
        }
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws a {@link InvalidConfigException} listing every problem, if there are any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new InvalidConfigException(messages);
        }
    }
}
