package io.foldwise.store;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * Test support: the local file system under its own scheme {@value #SCHEME}, which fails the
 * {@code fs.faultyfile.failWrite.nth}-th file creation (default 1) whose path matches the regular
 * expression {@code fs.faultyfile.failWrite} with "No space left on device", as a full disk does.
 * Register it with {@code fs.faultyfile.impl} (a Spark setting {@code spark.hadoop.fs.faultyfile.impl}).
 */
public class FaultyLocalFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "faultyfile";
    public static final String FAIL_WRITE = "fs.faultyfile.failWrite";
    public static final String FAIL_WRITE_NTH = "fs.faultyfile.failWrite.nth";

    private final AtomicInteger matched = new AtomicInteger();
    private Pattern failWrite;
    private int nth;

    @Override
    public void initialize(URI uri, Configuration conf) throws IOException {
        super.initialize(uri, conf);
        String regex = conf.get(FAIL_WRITE, "");
        failWrite = regex.isEmpty() ? null : Pattern.compile(regex);
        nth = conf.getInt(FAIL_WRITE_NTH, 1);
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    private void maybeFail(Path f) throws IOException {
        if (failWrite != null && failWrite.matcher(f.toUri().getPath()).matches() && matched.incrementAndGet() == nth) {
            throw new IOException("No space left on device (test file system: write " + nth + " matching "
                    + failWrite + ")");
        }
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        maybeFail(f);
        return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        maybeFail(f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
}
