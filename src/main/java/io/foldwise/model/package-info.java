/**
 * Architecture specs into DL4J networks, transferred networks (a saved model with frozen layers and a
 * new output layer), and numerically stable evaluation of their outputs.
 */
package io.foldwise.model;
