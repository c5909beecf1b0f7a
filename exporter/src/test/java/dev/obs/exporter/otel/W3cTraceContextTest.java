package dev.obs.exporter.otel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SpanSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class W3cTraceContextTest {
    @AfterEach
    void uninstall() {
        Recorder.install(null, 1.0);
    }

    @Test
    void traceparentIsVersionTraceIdSpanIdAndTheSampledFlagZeroPadded() {
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-00000000000000b7-01",
                W3cTraceContext.traceparent(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0x00000000000000b7L, true));
        assertEquals("00-ffffffffffffffff0000000000000001-fffffffffffffffe-00",
                W3cTraceContext.traceparent(-1L, 1L, -2L, false));
    }

    @Test
    void anExportedSpanCarriesItsIdsAndTheFlagSet() {
        Recorder.install(span -> true, 1.0);
        ObsSpan exported = Recorder.startSpan("git fetch");
        assertEquals(W3cTraceContext.traceparent(exported.traceIdHigh, exported.traceIdLow, exported.spanId, true),
                W3cTraceContext.traceparent(exported));
        Recorder.endSpan(exported, null);
    }

    @Test
    void anUnsampledSpanCarriesTheFlagUnset() {
        Recorder.install(span -> true, 0.0);
        ObsSpan unsampled = Recorder.startSpan("git");
        assertEquals('0', W3cTraceContext.traceparent(unsampled).charAt(54));
        Recorder.endSpan(unsampled, null);
    }

    @Test
    void aShedSpanCarriesTheFlagUnset() {
        Recorder.install(new SpanSink() {
            @Override
            public boolean offer(ObsSpan span) {
                return true;
            }

            @Override
            public boolean admitTrace() {
                return false;
            }
        }, 1.0);
        ObsSpan shed = Recorder.startSpan("git");
        assertEquals('0', W3cTraceContext.traceparent(shed).charAt(54));
        Recorder.endSpan(shed, null);
    }
}
