/**
 * The method: stratified k-fold splits and subsamples, grid expansion, trial identities and
 * results, the leaderboard, selection, learning and validation curves, and the bias/variance
 * diagnosis. May import augment, train, ingest, model, store and config; never job, report or cli.
 */
package io.foldwise.select;
