/** Stratified k-fold splits, grid expansion, trial results, selection, learning and validation curves, diagnosis. */
package io.foldwise.select;
