/** What people read: progress lines, status, and the HTML report with charts. */
package io.foldwise.report;
