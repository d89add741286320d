package io.foldwise.store;

import io.foldwise.FoldwiseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * File operations on any Hadoop FileSystem (file://, hdfs://, s3a://). Every write goes to a
 * temporary sibling and is renamed into place, so readers never see a half-written file.
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

    /** Writes {@code target} atomically: a temporary sibling, then a rename over any old file. */
    public void writeAtomically(Path target, Writer writer) {
        FileSystem fs = fs(target);
        Path tmp = new Path(target.getParent(), "._tmp." + target.getName() + "." + UUID.randomUUID());
        try {
            fs.mkdirs(target.getParent());
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                writer.write(out);
            }
            if (fs.exists(target) && !fs.delete(target, false)) {
                throw new IOException("could not replace " + target);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new FoldwiseException(FoldwiseException.RUNTIME, "writing " + target + " failed: " + e.getMessage(), e);
        }
    }

    public void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        writeAtomically(target, out -> out.write(bytes));
    }

    public String readString(Path path) {
        try (InputStream in = fs(path).open(path)) {
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

    /** Renames {@code from} to {@code to}, replacing whatever {@code to} was (a file or a directory). */
    public void replace(Path from, Path to) {
        try {
            FileSystem fs = fs(to);
            fs.mkdirs(to.getParent());
            if (fs.exists(to) && !fs.delete(to, true)) {
                throw new IOException("could not remove the old " + to);
            }
            if (!fs.rename(from, to)) {
                throw new IOException("could not rename " + from + " to " + to);
            }
        } catch (IOException e) {
            throw new FoldwiseException(FoldwiseException.RUNTIME, "committing " + to + " failed: " + e.getMessage(), e);
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
        try {
            fs(path).delete(path, true);
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
