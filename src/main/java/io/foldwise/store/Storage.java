package io.foldwise.store;

import io.foldwise.FoldwiseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * File operations on any Hadoop FileSystem (file://, hdfs://, s3a://). Every write is atomic
 * (see {@link #writeAtomically}): readers never see a half-written file, nor a moment without one.
 */
public final class Storage {
    private final Configuration hadoop;

    public Storage(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** Writes a file's bytes. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public FileSystem fs(Path path) {
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            // The local file system's checksum layer adds a .crc beside every file and then refuses
            // a file edited by anything else; run directories are for people and tools too.
            return fs instanceof ChecksumFileSystem checked ? checked.getRawFileSystem() : fs;
        } catch (IOException e) {
            throw new FoldwiseException(FoldwiseException.USAGE,
                    path + ": no file system for this URI (" + e.getMessage() + "); use a local path, file://, hdfs:// or s3a://", e);
        }
    }

    /** Fully qualified form of a path (scheme and authority filled in). */
    public Path qualify(Path path) {
        return fs(path).makeQualified(path);
    }

    /**
     * Writes {@code target} atomically: readers see the old file or the new one, never neither
     * (no delete window). Local files and HDFS: a temporary sibling renamed over the old file in
     * one operation. Object stores (s3a, gs): the object is written in place, as a PUT replaces an
     * object whole and makes it visible only when the upload completes.
     */
    public void writeAtomically(Path target, Writer writer) {
        FileSystem fs = fs(target);
        if (objectStore(fs)) {
            try {
                try (FSDataOutputStream out = fs.create(target, true)) {
                    writer.write(out);
                }
            } catch (IOException e) {
                throw new StorageException("writing", target, e);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), "._tmp." + target.getName() + "." + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                writer.write(out);
            }
            renameOver(fs, tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new StorageException("writing", target, e);
        }
    }

    /** True for stores whose rename is a copy (no atomic rename; an object PUT is atomic instead). */
    public static boolean objectStore(FileSystem fs) {
        String scheme = fs.getUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos");

    /** Renames the file {@code from} over {@code to} in one step, replacing any old {@code to}. */
    private void renameOver(FileSystem fs, Path from, Path to) throws IOException {
        if (fs instanceof RawLocalFileSystem local) {
            Files.move(local.pathToFile(from).toPath(), local.pathToFile(to).toPath(),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        // HDFS (and any AbstractFileSystem with a native rename2) replaces the target atomically.
        FileContext.getFileContext(fs.getUri(), hadoop).rename(from, to, Options.Rename.OVERWRITE);
    }

    public void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeAtomically(target, out -> out.write(bytes));
    }

    /** Opens a file for reading, for files too large to read whole. */
    public InputStream open(Path path) {
        try {
            return fs(path).open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    public String readString(Path path) {
        try (InputStream in = open(path)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    public boolean exists(Path path) {
        try {
            return fs(path).exists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("checking " + path, e);
        }
    }

    /** Names of the entries directly under {@code dir} (empty if it does not exist). */
    public List<String> list(Path dir) {
        List<String> names = new ArrayList<>();
        try {
            FileSystem fs = fs(dir);
            if (!fs.exists(dir)) {
                return names;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                names.add(s.getPath().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + dir, e);
        }
        names.sort(null);
        return names;
    }

    /**
     * Renames the directory {@code from} to {@code to}, which must not exist: a committed directory
     * is never replaced. False (and {@code from} left in place) if {@code to} exists. On local
     * files and HDFS the rename is one operation; on object stores it is a copy, so callers mark
     * completion inside {@code to} afterwards (see {@link TrialStore}).
     */
    public boolean renameIntoAbsent(Path from, Path to) {
        try {
            FileSystem fs = fs(to);
            fs.mkdirs(to.getParent());
            if (fs.exists(to)) {
                return false;
            }
            if (fs instanceof RawLocalFileSystem local) {
                try {
                    Files.move(local.pathToFile(from).toPath(), local.pathToFile(to).toPath(),
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                    return false;
                }
                return true;
            }
            if (objectStore(fs)) {
                if (!fs.rename(from, to)) {
                    throw new IOException("could not rename " + from + " to " + to);
                }
                return true;
            }
            try {
                FileContext.getFileContext(fs.getUri(), hadoop).rename(from, to, Options.Rename.NONE);
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            }
            return true;
        } catch (IOException e) {
            throw new StorageException("committing", to, e);
        }
    }

    /**
     * Commits the staged directory {@code staged} as {@code target}: an older {@code target} (an
     * unfinished run's leftover) is first renamed aside and deleted, then {@code staged} is renamed
     * into the now absent target.
     */
    public void commitDirectory(Path staged, Path target) {
        if (exists(target)) {
            Path aside = new Path(target.getParent(), "_old-" + target.getName() + "-" + UUID.randomUUID());
            if (!renameIntoAbsent(target, aside)) {
                throw new FoldwiseException(FoldwiseException.RUNTIME, "could not move " + target + " aside");
            }
            delete(aside);
        }
        if (!renameIntoAbsent(staged, target)) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, "committing " + target
                    + " failed: another process created it meanwhile");
        }
    }

    /**
     * Creates {@code file} with {@code bytes} only if it does not exist, in one operation where the
     * store has one: {@code O_EXCL} (a hard link, which fails if the name exists) locally, the name node's
     * {@code create(overwrite=false)} on HDFS. On object stores without conditional writes (s3a) the
     * check and the write are two requests, so two writers can both succeed (README: the lock is
     * advisory there).
     *
     * @return false if the file existed
     */
    public boolean createExclusive(Path file, byte[] bytes) {
        try {
            FileSystem fs = fs(file);
            fs.mkdirs(file.getParent());
            if (fs instanceof RawLocalFileSystem local) {
                // Written whole under a temporary name, then linked to its name: the link fails if the
                // name exists (one step, like O_EXCL) and a reader never sees the file half-written.
                java.nio.file.Path p = local.pathToFile(file).toPath();
                java.nio.file.Path tmp = p.resolveSibling("._tmp." + p.getFileName() + "." + UUID.randomUUID());
                Files.write(tmp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
                try {
                    Files.createLink(p, tmp);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    return false;
                } finally {
                    Files.deleteIfExists(tmp);
                }
                return true;
            }
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write(bytes);
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            }
            return true;
        } catch (IOException e) {
            throw new StorageException("creating", file, e);
        }
    }

    /** The modification time of {@code path} as the store stamped it (ms since the epoch). */
    public long modificationTime(Path path) {
        try {
            return fs(path).getFileStatus(path).getModificationTime();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the time of " + path, e);
        }
    }

    /**
     * The store's own clock, read by stamping a probe file in {@code dir}: ages of files the store
     * stamped are measured against it, never against this host's clock.
     */
    public long storeNow(Path dir) {
        Path probe = new Path(dir, "._clock." + UUID.randomUUID());
        try {
            FileSystem fs = fs(dir);
            try (FSDataOutputStream out = fs.create(probe, true)) {
                out.write(0);
            }
            return fs.getFileStatus(probe).getModificationTime();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the clock of " + dir, e);
        } finally {
            deleteQuietly(probe);
        }
    }

    public void delete(Path path) {
        try {
            fs(path).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path, e);
        }
    }

    void deleteQuietly(Path path) {
        deleteQuietly(path, true);
    }

    /** Deletes {@code path} if it can; a non-recursive delete of a non-empty directory does nothing. */
    void deleteQuietly(Path path, boolean recursive) {
        try {
            fs(path).delete(path, recursive);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the temporary name is never read
        }
    }

    /**
     * Makes sure {@code dir} exists and a file can be created in it; otherwise a usage error
     * naming {@code key} and the directory.
     */
    public void requireWritable(Path dir, String key) {
        Path probe = new Path(dir, "._probe." + UUID.randomUUID());
        try {
            FileSystem fs = fs(dir);
            fs.mkdirs(dir);
            try (FSDataOutputStream out = fs.create(probe, false)) {
                out.write(1);
            }
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            throw new FoldwiseException(FoldwiseException.USAGE, key + " " + dir + " is not writable ("
                    + e.getMessage() + "); choose a directory you can write with --output", e);
        }
    }
}
