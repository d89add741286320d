package io.foldwise.config;

/** {@code train.classWeights}: how the loss weighs each class (more than two classes). */
public enum ClassWeights {
    /** Every example counts the same. */
    NONE,
    /** Class c weighs n / (k × n_c): each class contributes as much to the loss as if all were equally frequent. */
    BALANCED
}
