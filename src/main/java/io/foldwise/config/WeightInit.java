package io.foldwise.config;

/** Weight initialisation schemes (mapped onto DL4J's). */
public enum WeightInit {
    XAVIER, XAVIER_UNIFORM, RELU, RELU_UNIFORM, LECUN_NORMAL
}
