package io.foldwise.cli;

import io.foldwise.report.RunStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code foldwise status <run-dir>}: a run's progress, from stored state only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a run's trials done / failed / pending, the best grid point so far, and whether it "
                + "finished, from its stored state (usable while a sweep is still running).")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    RunDirArgument run;

    @Override
    public Integer call() {
        run.print(RunStatus.read(run.storage(), run.layout()).lines());
        return 0;
    }
}
