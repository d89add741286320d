/** picocli commands: thin, each parses options and calls one stage. The only place that exits the JVM. */
package io.foldwise.cli;
