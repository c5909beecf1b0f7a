package dev.obs.instrumentation.git;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GitTrace2Test {
    /** Lines as git 2.39 writes them for `git status` (trimmed to the fields obs reads). */
    private static final String EVENTS = String.join("\n",
            "{\"event\":\"version\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.000000Z\",\"evt\":\"3\",\"exe\":\"2.39.5\"}",
            "{\"event\":\"region_enter\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.001000Z\",\"nesting\":1,\"category\":\"index\",\"label\":\"do_read_index\"}",
            "{\"event\":\"region_enter\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.001500Z\",\"nesting\":2,\"category\":\"index\",\"label\":\"read \\\"x\\\"\"}",
            "{\"event\":\"region_leave\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.002000Z\",\"t_rel\":0.0005,\"nesting\":2,\"category\":\"index\",\"label\":\"read\"}",
            "{\"event\":\"region_leave\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.003000Z\",\"t_rel\":0.002,\"nesting\":1,\"category\":\"index\",\"label\":\"do_read_index\"}",
            "{\"event\":\"exit\",\"sid\":\"x\",\"thread\":\"main\",\"time\":\"2026-11-23T12:00:00.004000Z\",\"code\":0}");

    @AfterEach
    void uninstallRecorder() {
        Recorder.install(null, 1.0); // the recorder is global: no later test records into this one's sink
        Recorder.swapCurrentSpan(null);
    }

    @Test
    void regionsBecomeNestedChildSpansAtGitsOwnTimes() {
        List<ObsSpan> queued = new ArrayList<>();
        Recorder.install(queued::add, 1.0);
        ObsSpan git = Recorder.startDetachedSpan("git status");
        Recorder.endDetachedSpan(git, null);
        git.endNanos = git.startNanos + 10_000_000;
        queued.clear();
        GitTrace2.emitRegions(git, EVENTS);
        assertEquals(2, queued.size());
        ObsSpan inner = queued.get(0);
        ObsSpan outer = queued.get(1);
        assertEquals("index do_read_index", outer.name);
        assertEquals(git.spanId, outer.parentSpanId);
        assertEquals(outer.spanId, inner.parentSpanId);
        assertEquals(git.traceIdLow, inner.traceIdLow);
        assertEquals(git.startNanos + 1_000_000, outer.startNanos);
        assertEquals(git.startNanos + 3_000_000, outer.endNanos);
        assertEquals(git.startNanos + 1_500_000, inner.startNanos);
        assertEquals(git.startNanos + 2_000_000, inner.endNanos);
    }
}
