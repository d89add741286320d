package io.foldwise.cli;

import io.foldwise.report.ReportWriter;
import io.foldwise.store.Storage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code foldwise report <run-dir>}: re-renders a run's HTML report from its stored results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Re-render <run-dir>/report/index.html and its charts from the run's stored results "
                + "(no training, no Spark job).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN-DIR", description = "A run directory (<output>/<run-id>), local or URI.")
    String runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Storage storage = RunDirArgument.storage();
        spec.commandLine().getOut().println("report: " + ReportWriter.write(storage, RunDirArgument.layout(storage, runDir)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
