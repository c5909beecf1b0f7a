package dev.obs.bench;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.otel.OtelBridge;
import dev.obs.exporter.otel.OtelContexts;
import dev.obs.exporter.otel.W3cTraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.concurrent.TimeUnit;
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

/**
 * What joining the program's OpenTelemetry context costs an obs root span (start, two attributes, end; the
 * recorder called directly as advice calls it, the span counted and dropped by the sink). One fork per
 * {@code otel} value, since the bridge's state is per JVM:
 * <ul>
 *   <li>{@code none}: no OpenTelemetry in the JVM (the bridge's one volatile read of a null);</li>
 *   <li>{@code idle}: an OpenTelemetry API in use (the bridge registered, as the woven
 *       {@code Context.current()} does) but no span current: the obs span is a root of its own;</li>
 *   <li>{@code span}: a valid OpenTelemetry span current on the thread: the obs span joins its trace;</li>
 *   <li>{@code state}: the same with a non-empty TraceState ({@code vendor=abc}): formatted once for the
 *       trace, then each root span compares the TraceState object with the one kept (no allocation).</li>
 * </ul>
 * {@code scripts/bench.sh otel} runs it with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OtelBridgeBenchmark {
    @Param({"none", "idle", "span", "state"})
    public String otel;

    String spanName = "GET /orders/{id}";
    String key1 = "http.request.method";
    Object value1 = "GET";
    String key2 = "http.response.status_code";
    Object value2 = Long.valueOf(200);
    RecorderBenchmark.CountingSink sink;
    io.opentelemetry.context.Scope scope;

    @Setup(Level.Trial)
    public void setup() {
        sink = new RecorderBenchmark.CountingSink();
        Recorder.install(sink, 1.0);
        OtelBridge.install(OtelContexts.INSTANCE);
        Recorder.measureSpansWith(dev.obs.exporter.SpanMetrics.INSTANCE);
        if (!otel.equals("none")) {
            OtelBridge.contextInUse(Context.class);
        }
        boolean underSpan = otel.equals("span") || otel.equals("state");
        if (underSpan) {
            TraceState state = otel.equals("state") ? TraceState.builder().put("vendor", "abc").build()
                    : TraceState.getDefault();
            SpanContext parent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                    TraceFlags.getSampled(), state);
            scope = Context.root().with(Span.wrap(parent)).makeCurrent();
        }
        ObsSpan probe = Recorder.startSpan(spanName);
        boolean joined = probe.traceIdHigh == 0x0af7651916cd43ddL;
        String tracestate = W3cTraceContext.tracestate(probe);
        Recorder.endSpan(probe, null);
        if (joined != underSpan || OtelContexts.active() == otel.equals("none")
                || (tracestate != null) != otel.equals("state")) {
            throw new IllegalStateException("bridge not in the state " + otel + " says: joined " + joined
                    + ", tracestate " + tracestate);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (scope != null) {
            scope.close();
        }
        Recorder.install(null, 1.0);
    }

    @Benchmark
    public ObsSpan rootSpanStartEndTwoAttributes() {
        ObsSpan span = Recorder.startSpan(spanName);
        span.setAttribute(key1, value1);
        span.setAttribute(key2, value2);
        Recorder.endSpan(span, null);
        return span;
    }
}
