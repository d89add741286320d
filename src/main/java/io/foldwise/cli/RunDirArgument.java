package io.foldwise.cli;

import io.foldwise.FoldwiseException;
import io.foldwise.store.RunLayout;
import io.foldwise.store.Storage;
import java.io.PrintWriter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The run directory argument of the commands that read a run without Spark (report, status): a
 * local path or a Hadoop URI, read through {@link Storage} on a plain Hadoop configuration.
 */
final class RunDirArgument {
    @Parameters(index = "0", paramLabel = "RUN-DIR", description = "A run directory (<output>/<run-id>), local or URI.")
    String runDir;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    private Storage storage;

    /** Storage on a plain Hadoop configuration: enough for file://, and hdfs:// or s3a:// with full URIs. */
    Storage storage() {
        if (storage == null) {
            storage = new Storage(new Configuration());
        }
        return storage;
    }

    /** The layout of the run directory, qualified. */
    RunLayout layout() {
        try {
            return new RunLayout(storage().qualify(new Path(runDir)));
        } catch (IllegalArgumentException e) {
            throw new FoldwiseException(FoldwiseException.USAGE, runDir + " is not a valid path or URI ("
                    + e.getMessage() + "); pass a run directory such as runs/20261129-104128", e);
        }
    }

    /** Prints lines to the command's standard output. */
    void print(List<String> lines) {
        PrintWriter out = command.commandLine().getOut();
        lines.forEach(out::println);
        out.flush();
    }
}
