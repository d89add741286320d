/** Parameter-averaging training of one network on one split, per-epoch curves, and evaluation. */
package io.foldwise.train;
