package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.foldwise.FoldwiseException;
import io.foldwise.config.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    private final Storage storage = new Storage(new Configuration());

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFiles() {
        Path target = new Path(tmp.toUri().toString(), "a/b/file.txt");
        storage.writeString(target, "first");
        storage.writeString(target, "second");
        assertThat(storage.readString(target)).isEqualTo("second");
        assertThat(storage.list(target.getParent())).containsExactly("file.txt");
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() {
        Path target = new Path(tmp.toUri().toString(), "keep.txt");
        storage.writeString(target, "old");
        assertThatThrownBy(() -> storage.writeAtomically(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).isInstanceOf(FoldwiseException.class).hasMessageContaining("disk full");
        assertThat(storage.readString(target)).isEqualTo("old");
        assertThat(storage.list(target.getParent())).containsExactly("keep.txt");
    }

    @Test
    void aFullDiskIsAStorageFailureNamingTheFileWithExitOne() {
        Configuration conf = new Configuration();
        conf.set("fs." + FaultyLocalFileSystem.SCHEME + ".impl", FaultyLocalFileSystem.class.getName());
        conf.setBoolean("fs." + FaultyLocalFileSystem.SCHEME + ".impl.disable.cache", true);
        conf.set(FaultyLocalFileSystem.FAIL_WRITE, ".*metrics\\.json.*");
        Storage faulty = new Storage(conf);
        Path dir = new Path(FaultyLocalFileSystem.SCHEME + "://" + tmp.toAbsolutePath() + "/trial");
        faulty.writeString(new Path(dir, "params.json"), "{}");
        Path metrics = new Path(dir, "metrics.json");
        assertThatThrownBy(() -> faulty.writeString(metrics, "{}"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
                .hasMessageContaining("storage failed writing").hasMessageContaining(metrics.toString())
                .hasMessageContaining("No space left on device");
        assertThat(faulty.list(dir)).as("no temporary file left").containsExactly("params.json");
    }

    @Test
    void unwritableOutputIsAUsageErrorNamingTheKeyAndDirectory() throws IOException {
        java.nio.file.Path locked = Files.createDirectory(tmp.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
        // root ignores permissions; a regular file where a directory is needed fails for everyone
        java.nio.file.Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        String target = Files.isWritable(locked) ? file.resolve("sub").toString() : locked.toString();
        assertThatThrownBy(() -> RunDirectory.claim(storage, new RunConfig(target, Optional.empty()), false))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("run.output").hasMessageContaining(target).hasMessageContaining("--output");
    }

    @Test
    void explicitRunIdIsNotReusedWhenTheDirectoryHoldsFiles() {
        RunConfig run = new RunConfig(tmp.toString(), Optional.of("nightly"));
        RunLayout layout = RunDirectory.claim(storage, run, false);
        storage.writeString(layout.runJson(), "{}");
        assertThatThrownBy(() -> RunDirectory.claim(storage, run, false))
                .isInstanceOfSatisfying(FoldwiseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                .hasMessageContaining("nightly").hasMessageContaining("--run-id");
    }

    @Test
    void generatedRunIdsDoNotCollide() {
        RunConfig run = new RunConfig(tmp.toString(), Optional.empty());
        RunLayout first = RunDirectory.claim(storage, run, false);
        storage.writeString(first.runJson(), "{}");
        RunLayout second = RunDirectory.claim(storage, run, false);
        assertThat(second.runDir()).isNotEqualTo(first.runDir());
    }
}
