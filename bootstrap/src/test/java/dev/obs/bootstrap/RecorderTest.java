package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecorderTest {
    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @Test
    void nestedSpansShareTheTraceAndRestoreTheParent() {
        List<ObsSpan> queued = new ArrayList<>();
        Recorder.install(queued::add, 1.0);
        ObsSpan outer = Recorder.startMethodSpan("com.acme.Repo", "sync");
        ObsSpan inner = Recorder.startSpan("git fetch");
        assertSame(inner, Recorder.currentSpan());
        assertEquals(outer.traceIdLow, inner.traceIdLow);
        assertEquals(outer.traceIdHigh, inner.traceIdHigh);
        assertEquals(outer.spanId, inner.parentSpanId);
        assertNotEquals(0L, inner.spanId);
        Recorder.endSpan(inner, new IllegalStateException("https://bob:pw@host/x"));
        assertSame(outer, Recorder.currentSpan());
        Recorder.endSpan(outer, null);
        assertNull(Recorder.currentSpan());
        assertEquals(List.of(inner, outer), queued);
        assertEquals("java.lang.IllegalStateException", inner.errorType);
        assertEquals("https://****@host/x", inner.errorMessage);
    }

    @Test
    void ratioZeroSamplesNoRootAndChildrenFollow() {
        Recorder.install(span -> true, 0.0);
        ObsSpan root = Recorder.startSpan("a");
        ObsSpan child = Recorder.startSpan("b");
        assertEquals(false, root.sampled());
        assertEquals(false, child.sampled());
        Recorder.endSpan(child, null);
        Recorder.endSpan(root, null);
    }

    /** Admits the first trace and sheds the second; records what it was given. */
    private static final class SheddingSink implements SpanSink {
        final List<ObsSpan> queued = new ArrayList<>();
        int decisions;
        int shedSpans;

        @Override
        public boolean offer(ObsSpan span) {
            return queued.add(span);
        }

        @Override
        public boolean admitTrace() {
            return decisions++ == 0;
        }

        @Override
        public void countShedSpan() {
            shedSpans++;
        }
    }

    @Test
    void aTraceShedAtItsRootIsNotQueuedAndEachOfItsSpansIsCounted() {
        SheddingSink sink = new SheddingSink();
        Recorder.install(sink, 1.0);
        for (int trace = 0; trace < 2; trace++) {
            ObsSpan root = Recorder.startSpan("root");
            ObsSpan child = Recorder.startSpan("child");
            ObsSpan detached = Recorder.startDetachedSpan("detached");
            Recorder.endDetachedSpan(detached, null);
            Recorder.endSpan(child, null);
            Recorder.endSpan(root, null);
        }
        assertEquals(2, sink.decisions, "one decision per trace, at its root");
        assertEquals(3, sink.queued.size(), "the admitted trace is queued whole");
        assertEquals(3, sink.shedSpans, "each span of the shed trace is counted");
        for (ObsSpan span : sink.queued) {
            assertEquals(true, span.sampled());
            assertEquals(false, span.shed());
        }
    }

    @Test
    void unsampledSpansAreNeitherQueuedNorCountedAsShed() {
        SheddingSink sink = new SheddingSink();
        Recorder.install(sink, 0.0);
        ObsSpan root = Recorder.startSpan("a");
        Recorder.endSpan(Recorder.startSpan("b"), null);
        Recorder.endSpan(root, null);
        assertEquals(0, sink.decisions, "the sampler said no first");
        assertEquals(List.of(), sink.queued);
        assertEquals(0, sink.shedSpans);
    }

    @Test
    void suppressedThreadRecordsNothing() throws Exception {
        Recorder.install(span -> true, 1.0);
        ObsSpan[] seen = new ObsSpan[1];
        Thread t = new Thread(() -> {
            Recorder.suppressCurrentThread();
            seen[0] = Recorder.startSpan("x");
        });
        t.start();
        t.join();
        assertNull(seen[0]);
    }

    /** Each thread draws its ids from a stream of its own: roots on many new threads, one each, never collide. */
    @Test
    void rootSpansOnManyNewThreadsHaveDistinctNonZeroIds() throws Exception {
        List<ObsSpan> queued = java.util.Collections.synchronizedList(new ArrayList<>());
        Recorder.install(queued::add, 1.0);
        int threads = 2_000;
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ObsSpan root = Recorder.startSpan("root");
                Recorder.endSpan(Recorder.startSpan("child"), null);
                Recorder.endSpan(root, null);
            });
            t.start();
            t.join();
        }
        assertEquals(2 * threads, queued.size());
        Set<Long> spanIds = new HashSet<>();
        Set<String> traces = new HashSet<>();
        for (ObsSpan s : queued) {
            assertNotEquals(0L, s.spanId);
            assertNotEquals(0L, s.traceIdLow);
            spanIds.add(s.spanId);
            traces.add(s.traceIdHigh + "/" + s.traceIdLow);
        }
        assertEquals(2 * threads, spanIds.size(), "span ids are unique");
        assertEquals(threads, traces.size(), "one trace per thread");
    }

    /** The sampler reads the trace id's low bits: per-thread streams must spread them evenly. */
    @Test
    void ratioHalfSamplesAboutHalfOfTheRootsOfNewThreads() throws Exception {
        Recorder.install(span -> true, 0.5);
        int threads = 2_000;
        int[] sampled = new int[1];
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                ObsSpan root = Recorder.startSpan("root");
                if (root.sampled()) {
                    sampled[0]++;
                }
                Recorder.endSpan(root, null);
            });
            t.start();
            t.join();
        }
        // binomial(2000, 0.5): sigma 22; 850..1150 is more than 6 sigma either way
        assertTrue(sampled[0] > 850 && sampled[0] < 1150, "sampled " + sampled[0] + " of " + threads);
    }
}
