/**
 * The application: the {@code train}, {@code sweep} and {@code predict} jobs, the trial runner and
 * scheduler, and the run.json lifecycle. Orchestration only: the method (folds, grid, selection,
 * curves, diagnosis) lives in {@code select}. May import select and the stages below it; never cli
 * or report.
 */
package io.foldwise.job;
