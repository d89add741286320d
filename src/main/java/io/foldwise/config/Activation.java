package io.foldwise.config;

/** Hidden-layer activations the method allows. */
public enum Activation {
    RELU, LEAKYRELU, TANH, SIGMOID, LINEAR
}
