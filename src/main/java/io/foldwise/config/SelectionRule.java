package io.foldwise.config;

/** How a sweep picks its point from the leaderboard ({@code sweep.select}). */
public enum SelectionRule {
    /** The best mean metric; near-ties go to fewer parameters, then the larger λ. */
    BEST,
    /**
     * The one-standard-error rule: the simplest model (fewest trainable parameters, then the largest
     * λ) whose mean is within one standard error of the best mean.
     */
    ONESTANDARDERROR;

    /** The name in config: {@code best} or {@code oneStandardError}. */
    public String configName() {
        return this == BEST ? "best" : "oneStandardError";
    }
}
