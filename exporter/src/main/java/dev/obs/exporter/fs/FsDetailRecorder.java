package dev.obs.exporter.fs;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import dev.obs.exporter.StripedHistogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a file operation records beyond the counts {@link FsRecorder} keeps in the boot loader: the sampled
 * latency ({@code fs.operation.duration}), errors by exception type ({@code fs.errors}), slow operations
 * ({@code fs.slow.operations}) and their spans, at most {@code obs.fs.slow.max.per.second} a second (the
 * others counted in {@code fs.slow.spans.suppressed}). Runs on the application's thread inside its file
 * operation (marked busy there, so nothing here is counted as the program's I/O); installed by premain.
 * The series exist once per JVM: this class is in the agent's class loader only.
 */
public final class FsDetailRecorder implements FsRecorder.Details {
    /** The sampled latency series' name. */
    static final String DURATION = "fs.operation.duration";
    private static final String[] OP_NAMES = {"read", "write", "force", "open", "create", "delete", "copy", "move",
            "mkdir", "list"};
    private static final String[] SPAN_NAMES = {"fs read", "fs write", "fs force", "fs open", "fs create",
            "fs delete", "fs copy", "fs move", "fs mkdir", "fs list"};

    // The exact series (never dropping), created on first use; racy reads of the arrays are safe because
    // the series' fields are final. Each is built without a lock and published by compare-and-set (or
    // putIfAbsent), so it exists once: this runs on the application's thread, and virtual threads that
    // wait for a monitor unmount and queue behind every runnable task (slow operations and first samples
    // come in bursts, when the machine stalls or a burst of new threads starts).
    private static final ConcurrentHashMap<String, ExactCounter> ERRORS = new ConcurrentHashMap<>();
    /** Calls that threw, by operation: what the {@link #ERRORS} counters of each operation add up to. */
    private static final AtomicLongArray ERRORS_OF_OP = new AtomicLongArray(FsRecorder.OPS);
    private static final StripedHistogram[] HISTOGRAMS =
            new StripedHistogram[(FsGroups.FIRST_USER + FsGroups.MAX_USER) * FsRecorder.OPS];
    private static final ExactCounter[] SLOW = new ExactCounter[FsRecorder.OPS];
    private static final ExactCounter[] SUPPRESSED = new ExactCounter[1];
    /** Rate limit of slow spans: (second << 24) | spans started in that second. */
    private static final AtomicLong SLOW_WINDOW = new AtomicLong();

    /** Slow-operation spans per second at most ({@code obs.fs.slow.max.per.second}). */
    private final int maxSpansPerSecond;

    public FsDetailRecorder(int maxSpansPerSecond) {
        this.maxSpansPerSecond = Math.max(0, maxSpansPerSecond);
    }

    @Override
    public void sampled(int group, int op, long nanos) {
        histogram(group, op).record(nanos, false);
    }

    @Override
    public void failed(int op, Throwable thrown) {
        String type = thrown.getClass().getName();
        String key = OP_NAMES[op] + ' ' + type;
        ExactCounter c = ERRORS.get(key);
        if (c == null) {
            boolean full = ERRORS.size() >= 500;
            String counted = full ? "other" : type;
            ExactCounter built = ExactMetrics.sum("fs.errors", "{error}", "File operations that threw, by exception type",
                    new String[] {"fs.operation", "error.type"}, new String[] {OP_NAMES[op], counted});
            c = ERRORS.putIfAbsent(full ? OP_NAMES[op] + " other" : key, built);
            c = c != null ? c : ExactMetrics.register(built);
        }
        c.add(1);
        ERRORS_OF_OP.incrementAndGet(op);
    }

    /** A slow operation: a span when the rate limit allows, else counted as suppressed. */
    @Override
    public void slow(int group, int op, String path, long bytes, long startNanos, long endNanos, Throwable thrown) {
        ExactCounter slowCount = SLOW[op];
        if (slowCount == null) {
            slowCount = createOnce(SLOW, op, "fs.slow.operations", "{operation}",
                    "File operations at least obs.fs.slow.threshold long", new String[] {"fs.operation"},
                    new String[] {OP_NAMES[op]});
        }
        slowCount.add(1);
        if (!allowSpan(endNanos)) {
            ExactCounter notTraced = SUPPRESSED[0];
            if (notTraced == null) {
                notTraced = createOnce(SUPPRESSED, 0, "fs.slow.spans.suppressed", "{span}",
                        "Slow file operations not traced because of obs.fs.slow.max.per.second", new String[0],
                        new String[0]);
            }
            notTraced.add(1);
            return;
        }
        ObsSpan span = Recorder.startSpanAt(SPAN_NAMES[op], startNanos & ~1L);
        if (span == null) {
            return;
        }
        if (path != null) {
            span.setAttribute("file.path", SecretMasker.mask(path));
        }
        span.setAttribute("file.group", FsRecorder.groups().name(group));
        span.setAttribute("fs.operation", OP_NAMES[op]);
        if (op == FsRecorder.READ || op == FsRecorder.WRITE) {
            span.setAttribute("fs.bytes", bytes);
        }
        if (thrown != null) {
            Recorder.recordError(span, thrown);
        }
        Recorder.endSpanAt(span, endNanos);
    }

    private static final VarHandle HISTOGRAM_SLOTS = MethodHandles.arrayElementVarHandle(StripedHistogram[].class);
    private static final VarHandle COUNTER_SLOTS = MethodHandles.arrayElementVarHandle(ExactCounter[].class);

    private static StripedHistogram histogram(int g, int op) {
        int i = g * FsRecorder.OPS + op;
        StripedHistogram h = HISTOGRAMS[i];
        if (h == null) {
            StripedHistogram built = ExactMetrics.series(DURATION,
                    "Duration of a random sample (about 1 in 64) of file operations",
                    new String[] {"fs.operation", "file.group"},
                    new String[] {OP_NAMES[op], FsRecorder.groups().name(g)}, null);
            h = (StripedHistogram) HISTOGRAM_SLOTS.compareAndExchange(HISTOGRAMS, i, (StripedHistogram) null, built);
            h = h != null ? h : ExactMetrics.register(built);
        }
        return h;
    }

    /** The counter at {@code cache[i]}, built and put there by compare-and-set unless another thread did first. */
    private static ExactCounter createOnce(ExactCounter[] cache, int i, String name, String unit, String description,
                                           String[] keys, String[] values) {
        ExactCounter built = ExactMetrics.sum(name, unit, description, keys, values);
        ExactCounter won = (ExactCounter) COUNTER_SLOTS.compareAndExchange(cache, i, (ExactCounter) null, built);
        return won != null ? won : ExactMetrics.register(built);
    }

    private boolean allowSpan(long nowNanos) {
        long second = nowNanos / 1_000_000_000L;
        int max = maxSpansPerSecond;
        while (true) {
            long w = SLOW_WINDOW.get();
            long used = (w >>> 24) == (second & 0xFF_FFFF_FFFFL) ? w & 0xFF_FFFF : 0;
            if (used >= max) {
                return false;
            }
            long next = ((second & 0xFF_FFFF_FFFFL) << 24) | (used + 1);
            if (SLOW_WINDOW.compareAndSet(w, next)) {
                return true;
            }
        }
    }

    // ------------------------------------------------------------------------------------------- exporter

    /** The sampled latency series of group {@code g} and operation {@code op}, or null before its first sample. */
    static StripedHistogram latency(int g, int op) {
        return HISTOGRAMS[g * FsRecorder.OPS + op];
    }

    /** Calls of operation {@code op} that threw, every exception type. */
    static long errors(int op) {
        return ERRORS_OF_OP.get(op);
    }

    /** {@code read}, {@code write}, ... */
    static String operationName(int op) {
        return OP_NAMES[op];
    }
}
