/** Everything that touches storage: the output layout, atomic writes and provenance, via Hadoop Paths only. */
package io.foldwise.store;
