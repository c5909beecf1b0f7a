package dev.obs.exporter;

import static dev.obs.exporter.ExactSeries.histogram;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the metric path makes of ended spans: the series and attributes the exporter publishes. */
class SpanMetricsTest {
    @BeforeAll
    static void measureSpans() {
        Recorder.measureSpansWith(SpanMetrics.INSTANCE); // what premain installs
    }

    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    /** The span queue refuses everything and no span is sampled: every call is still counted. */
    @Test
    void methodCallsAreCountedWhenTheirSpansAreDroppedAndUnsampled() {
        Recorder.install(span -> false, 0.0);
        for (int i = 0; i < 1000; i++) {
            Recorder.endSpan(Recorder.startMethodSpan("com.acme.Shed", "run"), null);
        }
        Recorder.endSpan(Recorder.startMethodSpan("com.acme.Shed", "run"), new IllegalStateException("x"));
        Recorder.endSpan(Recorder.startMethodSpan("com.acme.Shed", "run"), new IllegalStateException("y"));
        StripedHistogram ok = histogram("obs.method.duration", "com.acme.Shed", "run");
        StripedHistogram failed = histogram("obs.method.duration", "com.acme.Shed", "run",
                "java.lang.IllegalStateException");
        assertEquals(1000, ok.snapshot().count);
        assertEquals(0, ok.snapshot().errors);
        assertEquals(2, failed.snapshot().count);
        assertEquals(2, failed.snapshot().errors);
        assertEquals(List.of("code.namespace", "code.function", "error.type"), List.of(failed.attributeKeys));
        assertEquals("Shed.run", ok.operation);
        assertEquals("Shed.run", failed.operation);
    }

    /** Other library spans count in the summary only, under their span name, with their errors. */
    @Test
    void librarySpansFeedTheSummaryOnly() {
        Recorder.install(span -> true, 1.0);
        Recorder.endSpan(Recorder.startSpan("docker container inspect"), null);
        ObsSpan failed = Recorder.startSpan("docker container inspect");
        failed.failed = true;
        Recorder.endSpan(failed, null);
        StripedHistogram series = null;
        for (StripedHistogram h : ExactMetrics.histograms()) {
            if ("docker container inspect".equals(h.operation)) {
                series = h;
            }
        }
        assertNotNull(series);
        assertNull(series.metric, "not exported");
        assertEquals(2, series.snapshot().count);
        assertEquals(1, series.snapshot().errors);
    }

    /** A method that throws ever new exception types keeps a bounded number of series. */
    @Test
    void errorTypesBeyondTheLimitShareOneOtherSeries() {
        Recorder.install(span -> true, 1.0);
        int types = SpanMetrics.MAX_VARIANTS + 5;
        for (int i = 0; i < types; i++) {
            ObsSpan span = Recorder.startMethodSpan("com.acme.Thrower", "call");
            span.errorType = "com.acme.Failure" + i;
            Recorder.endSpan(span, null);
        }
        long series = Arrays.stream(ExactMetrics.histograms())
                .filter(h -> h.attributeValues.length == 3 && h.attributeValues[0].equals("com.acme.Thrower")).count();
        assertEquals(SpanMetrics.MAX_VARIANTS + 1, series, "the limit, plus _OTHER");
        assertEquals(5, histogram("obs.method.duration", "com.acme.Thrower", "call", SpanMetrics.OTHER).snapshot().count,
                "the five types beyond the limit");
    }

    /**
     * Threads that reach an operation's first span together (a burst of new virtual threads) race to build its
     * series without a lock: one series is published and registered, and every call of every thread is in it.
     */
    @Test
    void threadsRacingToAnOperationsFirstSpanShareOneSeriesAndLoseNoCall() throws Exception {
        Recorder.install(span -> true, 1.0);
        int threads = 16;
        int calls = 500;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        List<Thread> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < calls; i++) {
                    ObsSpan span = Recorder.startMethodSpan("com.acme.Burst", "first");
                    if (i == 0) {
                        span.errorType = "com.acme.FirstFailure";
                    }
                    Recorder.endSpan(span, null);
                }
            });
            thread.start();
            all.add(thread);
        }
        for (Thread thread : all) {
            thread.join();
        }
        long registered = Arrays.stream(ExactMetrics.histograms())
                .filter(h -> h.attributeValues.length >= 1 && h.attributeValues[0].equals("com.acme.Burst")).count();
        assertEquals(2, registered, "one series for the calls and one for the error type, registered once each");
        assertEquals(threads * (calls - 1), histogram("obs.method.duration", "com.acme.Burst", "first").snapshot().count);
        assertEquals(threads, histogram("obs.method.duration", "com.acme.Burst", "first", "com.acme.FirstFailure")
                .snapshot().count);
    }
}
