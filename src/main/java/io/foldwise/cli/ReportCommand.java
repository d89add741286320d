package io.foldwise.cli;

import io.foldwise.report.ReportWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code foldwise report <run-dir>}: re-renders a run's HTML report from its stored results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render <run-dir>/report/index.html and its charts from the run's stored results "
                + "(no training, no Spark job).")
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    RunDirArgument run;

    @Override
    public Integer call() {
        run.print(List.of("report: " + ReportWriter.write(run.storage(), run.layout())));
        return 0;
    }
}
