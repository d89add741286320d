package io.foldwise.config;

import io.foldwise.FoldwiseException;
import java.util.List;

/** One or more configuration problems, all reported together; exit code 2. */
public final class ConfigException extends FoldwiseException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(USAGE, problems.size() == 1
                ? problems.get(0)
                : problems.size() + " configuration problems:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** Each problem on its own, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
