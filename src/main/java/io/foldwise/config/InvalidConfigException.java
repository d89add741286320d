package io.foldwise.config;

import io.foldwise.FoldwiseException;
import java.util.List;

/**
 * One or more configuration problems, all reported together; exit code 2 ({@link FoldwiseException#USAGE}).
 * Named apart from Typesafe's {@code com.typesafe.config.ConfigException}, which the config
 * readers catch, so that both can be imported by their simple names.
 */
public final class InvalidConfigException extends FoldwiseException {
    private final List<String> problems;

    /** Reports every problem in {@code problems}, in order; one problem is the whole message. */
    public InvalidConfigException(List<String> problems) {
        super(USAGE, problems.size() == 1
                ? problems.get(0)
                : problems.size() + " configuration problems:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Reports a single problem. */
    public InvalidConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
