package io.foldwise.config;

/** Gradient update rules. */
public enum Updater {
    ADAM, SGD
}
