package io.foldwise.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.memory.AllocationsTracker;
import org.nd4j.linalg.api.memory.enums.AllocationKind;

/**
 * Benchmark tooling (not a test, not in the application jar): a Spark plugin that records peak
 * memory for {@code bench/scale.sh}. Enabled with {@code --jars <jar of this class>
 * --conf spark.plugins=io.foldwise.bench.ScaleProbe --conf spark.foldwise.scaleProbe.dir=DIR}.
 *
 * <ul>
 *   <li>Driver: peak heap used (sampled every 200 ms), peak heap occupancy right after a garbage
 *       collection and right after a full one (from GC notifications; a young collection leaves the
 *       old generation's garbage, so only the full-GC figure is the live set; 0 = no full GC ran),
 *       written to {@code DIR/driver.txt}. In local mode the executor's cached blocks (Spark's
 *       storage memory) live in this heap too.
 *   <li>Each executor (in local mode: the driver JVM's executor): peak JavaCPP off-heap bytes
 *       ({@link Pointer#totalBytes()}, what is allocated through JavaCPP's accounting), peak bytes in
 *       ND4J's own allocation tracker (general + workspace; ND4J's CPU arrays are allocated natively
 *       and need not appear in either counter) and peak process RSS ({@link Pointer#physicalBytes()},
 *       heap included: the number an operating-system or container limit sees) and of RSS minus
 *       the committed heap (native memory as the OS sees it: ND4J's arrays, the loaded native
 *       libraries, metaspace, thread stacks), sampled every 200 ms, written to
 *       {@code DIR/executor-<id>.txt}.
 * </ul>
 * Files are rewritten every 2 s and at shutdown (an executor killed at the end still leaves its
 * last values), as {@code key=value} lines, bytes.
 */
public final class ScaleProbe implements SparkPlugin {
    static final String DIR_KEY = "spark.foldwise.scaleProbe.dir";

    @Override
    public DriverPlugin driverPlugin() {
        return new Driver();
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new Executor();
    }

    /** Samples something every 200 ms and writes the peaks every 2 s and at shutdown. */
    private abstract static class Sampler {
        private ScheduledExecutorService timer;
        private Path file;
        private int ticks;

        final void start(String dir, String name) {
            file = Paths.get(dir, name);
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "scale-probe");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> {
                try {
                    sample();
                    if (++ticks % 10 == 0) {
                        write();
                    }
                } catch (Throwable e) {
                    // a failed sample must never disturb the application
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
        }

        abstract void sample();

        abstract String peaks();

        final synchronized void write() {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.writeString(tmp, peaks(), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                System.err.println("ScaleProbe: cannot write " + file + ": " + e);
            }
        }

        final void stop() {
            if (timer != null) {
                timer.shutdownNow();
                sample();
                write();
            }
        }
    }

    private static final class Driver extends Sampler implements DriverPlugin {
        private final AtomicLong heapUsed = new AtomicLong();
        private final AtomicLong afterGc = new AtomicLong();
        private final AtomicLong afterFullGc = new AtomicLong();
        private final AtomicLong gcs = new AtomicLong();
        private long max;

        @Override
        public Map<String, String> init(SparkContext sc, PluginContext ctx) {
            max = Runtime.getRuntime().maxMemory();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((n, h) -> {
                        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                            return;
                        }
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long used = heapAfterGc(info);
                        afterGc.accumulateAndGet(used, Math::max);
                        if (info.getGcAction().contains("major")) {
                            afterFullGc.accumulateAndGet(used, Math::max);
                        }
                        gcs.incrementAndGet();
                    }, null, null);
                }
            }
            start(sc.conf().get(DIR_KEY), "driver.txt");
            return Collections.emptyMap();
        }

        /** Heap occupancy after a collection: the heap pools' after-GC usage (not metaspace etc.). */
        private static long heapAfterGc(GarbageCollectionNotificationInfo info) {
            long heap = 0;
            for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                    if (u != null) {
                        heap += u.getUsed();
                    }
                }
            }
            return heap;
        }

        @Override
        void sample() {
            heapUsed.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }

        @Override
        String peaks() {
            return String.format(Locale.ROOT, "heapMax=%d%nheapUsedPeak=%d%nheapAfterGcPeak=%d%nheapAfterFullGcPeak=%d%ngcs=%d%n",
                    max, heapUsed.get(), afterGc.get(), afterFullGc.get(), gcs.get());
        }

        @Override
        public void shutdown() {
            stop();
        }
    }

    private static final class Executor extends Sampler implements ExecutorPlugin {
        private final AtomicLong javacpp = new AtomicLong();
        private final AtomicLong rss = new AtomicLong();
        private final AtomicLong nd4j = new AtomicLong();
        private final AtomicLong outsideHeap = new AtomicLong();
        private String maxBytes;

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            maxBytes = Long.toString(Pointer.maxBytes());
            start(ctx.conf().get(DIR_KEY), "executor-" + ctx.executorID() + ".txt");
        }

        @Override
        void sample() {
            javacpp.accumulateAndGet(Pointer.totalBytes(), Math::max);
            long physical = Pointer.physicalBytes();
            rss.accumulateAndGet(physical, Math::max);
            outsideHeap.accumulateAndGet(
                    physical - ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted(), Math::max);
            AllocationsTracker tracker = AllocationsTracker.getInstance();
            nd4j.accumulateAndGet(tracker.bytesOnDevice(AllocationKind.GENERAL, 0)
                    + tracker.bytesOnDevice(AllocationKind.WORKSPACE, 0), Math::max);
        }

        @Override
        String peaks() {
            return String.format(Locale.ROOT, "javacppMaxBytes=%s%njavacppPeak=%d%nnd4jTrackedPeak=%d%nrssPeak=%d%nrssOutsideHeapPeak=%d%n",
                    maxBytes, javacpp.get(), nd4j.get(), rss.get(), outsideHeap.get());
        }

        @Override
        public void shutdown() {
            stop();
        }
    }
}
