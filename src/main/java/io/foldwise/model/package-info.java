/** Architecture specs into DL4J networks, and numerically stable evaluation of their outputs. */
package io.foldwise.model;
