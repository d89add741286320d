/** Foldwise: cross-validated model selection for Deeplearning4j networks on Apache Spark. */
package io.foldwise;
