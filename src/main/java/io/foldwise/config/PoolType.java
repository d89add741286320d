package io.foldwise.config;

/** Pooling kinds. */
public enum PoolType {
    MAX, AVG
}
