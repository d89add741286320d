/**
 * Everything that touches storage, through Hadoop Paths only: the run directory layout (the one
 * class that owns paths), atomic writes, trial directory state, the run lock, run.json's typed
 * record and provenance. May import config only.
 */
package io.foldwise.store;
