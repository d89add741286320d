/** Image augmentation as DataFrame operations on training rows only, deterministic per (seed, source id, copy). */
package io.foldwise.augment;
