/**
 * Training one network on prepared data: the shards a run's data is prepared into, the worker
 * rule, one-worker fits inside one Spark task, DL4J parameter averaging for several workers,
 * per-epoch curves, evaluation and prediction. The only package that knows DL4J's Spark module.
 * May import model, ingest, store and config.
 */
package io.foldwise.train;
