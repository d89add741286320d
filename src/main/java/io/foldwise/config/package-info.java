/**
 * Configuration: loading HOCON ({@code reference.conf}, a user file, {@code --set} overrides) into
 * immutable records that validate themselves, every problem reported at once as an
 * {@link io.foldwise.config.InvalidConfigException} (exit code 2). It owns the keys and their
 * defaults, the sweep grid's keys and value checks, and {@link io.foldwise.config.TrainOverlay}, which
 * applies grid values to an already-parsed config (select's {@code Grid} expands the product). The
 * bottom of the package graph: it may import Typesafe Config, commons-text and
 * {@link io.foldwise.FoldwiseException}, and no other Foldwise package.
 */
package io.foldwise.config;
