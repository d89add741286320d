package io.foldwise.config;

/** Which candidates a sweep trains ({@code sweep.search}). */
public enum SearchStrategy {
    /** The cartesian product of {@code sweep.grid}. */
    GRID,
    /** {@code sweep.samples} points drawn from {@code sweep.space} with {@code sweep.sampleSeed}. */
    RANDOM
}
