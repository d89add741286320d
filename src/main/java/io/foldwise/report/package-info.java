/**
 * What people read: the HTML report (a page shell with CSS/JS resources, the sweep and train
 * pages, one class per section), its charts, and a run's status, all from stored files. May import
 * select (the typed records it reads), train, store and config; never job or cli, so a report can
 * be drawn from any run directory without running anything.
 */
package io.foldwise.report;
