/**
 * picocli commands: thin, each parses options and calls one job (or the report/status readers).
 * The only place that maps exceptions to exit codes and exits the JVM. May import every package.
 */
package io.foldwise.cli;
