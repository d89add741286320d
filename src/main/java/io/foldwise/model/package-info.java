/**
 * Architecture specs and transfer sources (a saved model with frozen layers and a new output
 * layer) into DL4J networks, parameter counts, and numerically stable losses and probabilities
 * from a network's logits. May import config only.
 */
package io.foldwise.model;
