package io.foldwise.store;

import io.foldwise.FoldwiseException;
import io.foldwise.config.RunConfig;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;

/** Chooses and claims a run's directory under the configured output. */
public final class RunDirectory {
    private static final DateTimeFormatter ID_FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    /**
     * The run.json of an earlier run in this directory, if there is one. A directory holding
     * other files (and no run.json) is not a Foldwise run and is refused, so nothing in it is lost.
     */
    public static Optional<RunRecord> previousRun(Storage storage, RunLayout layout) {
        List<String> entries = storage.list(layout.runDir()).stream()
                .filter(n -> !n.equals(layout.lockFile().getName())).toList();
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        if (storage.exists(layout.clearingMarker())) {
            throw new UnreadableRunException("run directory " + layout.runDir() + " was being cleared by `sweep "
                    + "--force` when that was interrupted; run `sweep --force` with the same --run-id again to "
                    + "finish clearing it and start from scratch, or choose another --run-id.", null);
        }
        if (!storage.exists(layout.runJson())) {
            throw new FoldwiseException(FoldwiseException.USAGE, "run directory " + layout.runDir()
                    + " holds files that are not a Foldwise run (no run.json): "
                    + String.join(", ", entries.subList(0, Math.min(5, entries.size())))
                    + "; choose another --run-id or --output");
        }
        return Optional.of(RunRecord.read(storage, layout));
    }

    /**
     * Empties a run directory for {@code --force}, keeping the lock. A marker is written first and
     * removed last, so an interrupted clear is recognised (never resumed as a run) and finished by
     * the next {@code --force}; run.json goes with the rest.
     */
    public static void clear(Storage storage, RunLayout layout) {
        storage.writeString(layout.clearingMarker(), "");
        for (String entry : storage.list(layout.runDir())) {
            if (!entry.equals(layout.lockFile().getName()) && !entry.equals(layout.clearingMarker().getName())) {
                storage.delete(new Path(layout.runDir(), entry));
            }
        }
        storage.delete(layout.clearingMarker());
    }

    /**
     * The run's layout. With an explicit id the directory must not hold another run unless the
     * caller allows it; a generated id (the time) gets a suffix when taken.
     */
    public static RunLayout claim(Storage storage, RunConfig run, boolean allowExisting) {
        Path output = storage.qualify(new Path(run.output()));
        storage.requireWritable(output, "run.output");
        if (run.id().isPresent()) {
            RunLayout layout = RunLayout.of(output, run.id().get());
            if (!allowExisting && !storage.list(layout.runDir()).isEmpty()) {
                throw new FoldwiseException(FoldwiseException.USAGE, "run directory " + layout.runDir()
                        + " already holds files; choose another --run-id, or remove the directory");
            }
            return layout;
        }
        String base = LocalDateTime.now().format(ID_FORMAT);
        RunLayout layout = RunLayout.of(output, base);
        for (int i = 2; storage.exists(layout.runDir()); i++) {
            layout = RunLayout.of(output, base + "-" + i);
        }
        return layout;
    }
}
