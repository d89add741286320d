package io.foldwise.cli;

import io.foldwise.report.RunStatus;
import io.foldwise.store.Storage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code foldwise status <run-dir>}: a run's progress, from stored state only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run's trials done / failed / pending, the best grid point so far, and whether it "
                + "finished, from its stored state (usable while a sweep is still running).")
public final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN-DIR", description = "A run directory (<output>/<run-id>), local or URI.")
    String runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Storage storage = RunDirArgument.storage();
        PrintWriter out = spec.commandLine().getOut();
        RunStatus.read(storage, RunDirArgument.layout(storage, runDir)).lines().forEach(out::println);
        out.flush();
        return 0;
    }
}
