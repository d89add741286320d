/**
 * Architecture specs into DL4J network configurations, parameter counts, and numerically stable
 * losses and probabilities from a network's logits. May import config only.
 */
package io.foldwise.model;
