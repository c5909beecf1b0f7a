package dev.obs.bench;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsHooks;
import dev.obs.bootstrap.fs.FsRecorder;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanSink;
import dev.obs.bootstrap.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The recorder's hot paths without an agent: the bootstrap classes are called directly, exactly as woven
 * advice calls them. Run with {@code -prof gc} and read {@code gc.alloc.rate.norm} for B/op
 * ({@code scripts/bench.sh recorder} does both and checks the targets).
 *
 * <p><b>Metric path of spans.</b> {@link #spanStartEndTwoAttributes} and {@link #methodSpanStartEnd} include it:
 * the ended span's duration added to its operation's exact striped series (a table lookup and atomic adds,
 * dev.obs.exporter.SpanMetrics); their {@code ...WithoutMetricPath} twins run in a JVM where the recorder
 * was installed without it, so the difference of the two scores is what the metric path costs.
 *
 * <p><b>Span sink</b> ({@code @Param sink}):
 * <ul>
 *   <li>{@code count} (default): the sink counts the span and drops it. This measures the recorder alone
 *       (id generation, the ObsSpan and its attribute array, thread-local current-span bookkeeping, the
 *       virtual call into the sink), not the exporter's queue.</li>
 *   <li>{@code spsc}: the sink puts the span into a bounded 65536-slot single-producer/single-consumer
 *       array ring; a background consumer thread drains it like the agent's exporter loop does (keeps
 *       draining while there is work, parks 2 ms when the ring was empty) and reads a field of each span.
 *       A full ring drops and counts, like the agent's queue. This adds the cross-core hand-off and a
 *       second busy thread; on a loaded 2-core box it is noisy. Drops are printed at tear-down.</li>
 * </ul>
 *
 *
 * <p>Inputs are constants prepared in {@link #setup()}: the attribute values are a String and a cached
 * {@code Long}, so boxing at the call site is not measured (advice that boxes an uncached long adds
 * 16 B/op).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
// java.io opened as the agent opens it for the fs recorder (it reads a FileDescriptor's number)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-opens", "java.base/java.io=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecorderBenchmark {
    static final String WITHOUT_METRIC_PATH = "WithoutMetricPath";

    @Param({"count"})
    public String sink;

    /** Sampling ratio passed to {@link Recorder#install}; {@code -p ratio=0} measures unsampled roots. */
    @Param({"1.0"})
    public double ratio;

    String spanName;
    ObsSpan preparedMethodSpan;
    String namespace;
    String function;
    String key1;
    Object value1;
    String key2;
    Object value2;
    long metricValue;

    CountingSink countingSink;
    SpscSink spscSink;

    private String workTree = "/srv/git/repositories/team-a/project-0123456789";
    private java.io.File fsFile;
    private java.io.FileInputStream fsStream;
    private java.io.FileDescriptor fsFd;
    private String fsPath;

    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        // the ...WithoutMetricPath twins measure the span alone: their difference is the metric path's cost
        boolean metricPath = !params.getBenchmark().endsWith(WITHOUT_METRIC_PATH);
        spanName = "GET /orders/{id}";
        namespace = "com.example.OrderService";
        function = "findOrder";
        key1 = "http.request.method";
        value1 = "GET";
        key2 = "http.response.status_code";
        value2 = Long.valueOf(200);
        metricValue = 12_345L;
        try {
            // what premain installs: the sampled, slow and failed calls' recorder, the metric path of spans
            FsRecorder.recordDetailsWith(new dev.obs.exporter.fs.FsDetailRecorder(100));
            Recorder.measureSpansWith(dev.obs.exporter.SpanMetrics.INSTANCE);
            FsRecorder.configure(new FsGroups(new String[0], new String[0], System.getProperty("java.home"), null,
                    "/"), 10_000_000L);
            fsFile = java.io.File.createTempFile("obs-recorder-bench", ".bin");
            fsStream = new java.io.FileInputStream(fsFile);
            fsFd = fsStream.getFD();
            fsPath = fsFile.getPath();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        switch (sink) {
            case "count":
                countingSink = new CountingSink();
                Recorder.install(countingSink, ratio, metricPath);
                break;
            case "spsc":
                spscSink = new SpscSink(65_536);
                spscSink.start();
                Recorder.install(spscSink, ratio, metricPath);
                break;
            default:
                throw new IllegalArgumentException("sink must be count or spsc: " + sink);
        }
        preparedMethodSpan = Recorder.startMethodSpan(namespace, function);
        Recorder.endSpan(preparedMethodSpan, null);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) throws InterruptedException {
        try {
            fsStream.close();
        } catch (java.io.IOException ignored) {
            // a temp file
        }
        fsFile.delete();
        Recorder.install(null, 1.0);
        long spans;
        long spanDrops = 0;
        if (spscSink != null) {
            spscSink.stop();
            spans = spscSink.consumed;
            spanDrops = spscSink.dropped;
        } else {
            spans = countingSink.count;
        }
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        System.out.printf("%nrecorder-bench: %s sink=%s ratio=%s spans=%d spanDrops=%d%n", method, sink, ratio,
                spans, spanDrops);
    }

    /** startSpan + two attributes + endSpan: a library span (root, sampled). */
    @Benchmark
    public ObsSpan spanStartEndTwoAttributes() {
        ObsSpan span = Recorder.startSpan(spanName);
        if (span != null) {
            span.setAttribute(key1, value1);
            span.setAttribute(key2, value2);
        }
        Recorder.endSpan(span, null);
        return span;
    }

    /** startMethodSpan + endSpan: the configured-method path (root, sampled). */
    @Benchmark
    public ObsSpan methodSpanStartEnd() {
        ObsSpan span = Recorder.startMethodSpan(namespace, function);
        Recorder.endSpan(span, null);
        return span;
    }

    /** {@link #spanStartEndTwoAttributes} without the metric path of ended spans (the span alone). */
    @Benchmark
    public ObsSpan spanStartEndTwoAttributesWithoutMetricPath() {
        return spanStartEndTwoAttributes();
    }

    /** {@link #methodSpanStartEnd} without the metric path of ended spans (the span alone). */
    @Benchmark
    public ObsSpan methodSpanStartEndWithoutMetricPath() {
        return methodSpanStartEnd();
    }

    /**
     * The metric path alone, as a method span's end takes it: {@link Recorder#endSpanAt} of one span
     * prepared at setup (no clock read, no allocation), which adds its duration to the method's series and
     * hands it to the counting sink. The twin below does only the hand-off.
     */
    @Benchmark
    public ObsSpan endMethodSpanAt() {
        Recorder.endSpanAt(preparedMethodSpan, preparedMethodSpan.startNanos + metricValue);
        return preparedMethodSpan;
    }

    @Benchmark
    public ObsSpan endMethodSpanAtWithoutMetricPath() {
        return endMethodSpanAt();
    }

    /**
     * {@link #methodSpanStartEnd} as C1 (tier 3, profiling) code: what a burst of new virtual threads runs for
     * most of a short run, before C2 gets to obs's methods (docs/measurements.md, issue 15). Informational.
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=3"})
    public ObsSpan methodSpanStartEndTier3() {
        return methodSpanStartEnd();
    }

    /** {@link #endMethodSpanAt} (the metric path) as C1 code, as {@link #methodSpanStartEndTier3}. Informational. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "-XX:TieredStopAtLevel=3"})
    public ObsSpan endMethodSpanAtTier3() {
        return endMethodSpanAt();
    }

    /**
     * What the fs advice adds to a {@code FileInputStream.read(byte[])} of 4 KiB, without the read itself (a
     * system call of about a microsecond here, whose run-to-run noise is larger than this whole path): the
     * enter and exit calls with the stream's descriptor and path, as the woven code makes them. The hooks are
     * {@code @DontInline}, which HotSpot honours only on boot-loader classes, as in an agent-attached JVM: to
     * measure them so, run this fork with {@code -jvmArgsAppend -Xbootclasspath/a:bootstrap/target/obs-bootstrap-*.jar}
     * (from the class path, as by default, the hooks are inlined into this method).
     */
    @Benchmark
    public void fsReadRecord() {
        ThreadState s = FsHooks.enter();
        FsHooks.read(s, fsFd, fsPath, 4096, null);
    }

    /** A configured group of the usual form ({@code obs.fs.groups=data=/srv/data/**}) and a path in it. */
    private final dev.obs.bootstrap.fs.FsGroups fsGroups = new dev.obs.bootstrap.fs.FsGroups(new String[] {"data"},
            new String[] {"/srv/data/**"}, "/usr/lib/jvm/jdk/", null, "/home/app");
    private String fsOpenedPath = "/srv/data/2026/12/orders-0001.json";

    /**
     * What every open of a stream or RandomAccessFile pays to find its group ({@code FsGroups.classify}): the
     * built-in checks, then the glob's literal prefix.
     */
    @Benchmark
    public int fsClassifyOpenedPath() {
        return fsGroups.classify(fsOpenedPath, 7);
    }

    /** What a JGit span pays to mask its work tree path (no secret in it: the common case). */
    @Benchmark
    public String maskWorkTreePath() {
        return dev.obs.bootstrap.SecretMasker.mask(workTree);
    }

    /** Reference: one System.nanoTime() (a span reads the clock twice). Not a target. */
    @Benchmark
    public long clockReference() {
        return System.nanoTime();
    }

    /** The baseline: consumes the same inputs the span benchmarks use, recording nothing. */
    @Benchmark
    public void baseline(Blackhole bh) {
        bh.consume(spanName);
        bh.consume(key1);
        bh.consume(value1);
        bh.consume(key2);
        bh.consume(value2);
        bh.consume(metricValue);
    }

    /** Counts and drops: measures the recorder, not a queue. Single producer (the benchmark thread). */
    static final class CountingSink implements SpanSink {
        long count;

        @Override
        public boolean offer(ObsSpan span) {
            count++;
            return true;
        }
    }

    /**
     * A bounded SPSC array ring of spans with a consumer thread that drains like the exporter loop (parks
     * 2 ms when empty): a stand-in for the exporter queue that allocates nothing per offer. Full ring: drop
     * and count.
     */
    static final class SpscSink implements SpanSink, Runnable {
        private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(ObsSpan[].class);
        private final ObsSpan[] slots;
        private final int mask;
        private long producer;
        private long consumerPos;
        long dropped;
        volatile long consumed;
        long checksum;
        private volatile boolean running = true;
        private final Thread thread = new Thread(this, "bench-span-consumer");

        SpscSink(int capacity) {
            slots = new ObsSpan[capacity];
            mask = capacity - 1;
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public boolean offer(ObsSpan span) {
            int i = (int) producer & mask;
            if (SLOTS.getAcquire(slots, i) != null) {
                dropped++;
                return false;
            }
            SLOTS.setRelease(slots, i, span);
            producer++;
            return true;
        }

        @Override
        public void run() {
            long n = 0;
            while (running) {
                int i = (int) consumerPos & mask;
                ObsSpan s = (ObsSpan) SLOTS.getAcquire(slots, i);
                if (s == null) {
                    if (n != consumed) {
                        consumed = n;
                    }
                    LockSupport.parkNanos(2_000_000L);
                    continue;
                }
                checksum += s.endNanos - s.startNanos + s.attributeCount();
                SLOTS.setRelease(slots, i, null);
                consumerPos++;
                n++;
            }
            consumed = n;
        }
    }
}
