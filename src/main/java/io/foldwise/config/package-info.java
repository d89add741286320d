/** Immutable, validated configuration records built from HOCON, and the sweep grid's expansion. */
package io.foldwise.config;
