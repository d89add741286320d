package io.foldwise.store;

import java.util.Locale;
import java.util.Optional;

/**
 * The status of a run as run.json records it. Serialised lowercase ({@code "running"},
 * {@code "finished"}, {@code "failed"}, {@code "interrupted"}), as runs have always written it.
 */
public enum RunState {
    /** Started and not ended yet (or ended without a chance to say so). */
    RUNNING,
    /** Ended with every result written. */
    FINISHED,
    /** Ended with an error; run.json holds it. */
    FAILED,
    /** Stopped from outside before it ended. */
    INTERRUPTED;

    /** The name run.json uses. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state run.json names {@code text}, or empty if it names none. */
    public static Optional<RunState> parse(String text) {
        for (RunState s : values()) {
            if (s.json().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return json();
    }
}
