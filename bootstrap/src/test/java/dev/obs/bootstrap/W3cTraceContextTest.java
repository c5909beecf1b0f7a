package dev.obs.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.bootstrap.otel.W3cTraceContext;
import org.junit.jupiter.api.Test;

class W3cTraceContextTest {
    @Test
    void traceparentIsVersionTraceIdSpanIdAndTheSampledFlagZeroPadded() {
        ObsSpan exported = new ObsSpan(0x0af7651916cd43ddL, 0x8448eb211c80319cL, 0x00000000000000b7L, 0L,
                ObsSpan.EXPORTED, ObsSpan.ORIGIN_LIBRARY, "git fetch", null, 0L, null);
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-00000000000000b7-01", W3cTraceContext.traceparent(exported));
    }

    @Test
    void anUnsampledOrShedSpanCarriesTheFlagUnset() {
        ObsSpan unsampled = new ObsSpan(-1L, 1L, -2L, 0L, ObsSpan.UNSAMPLED, ObsSpan.ORIGIN_LIBRARY, "git", null, 0L, null);
        assertEquals("00-ffffffffffffffff0000000000000001-fffffffffffffffe-00", W3cTraceContext.traceparent(unsampled));
        ObsSpan shed = new ObsSpan(1L, 1L, 1L, 0L, ObsSpan.SHED, ObsSpan.ORIGIN_LIBRARY, "git", null, 0L, null);
        assertEquals('0', W3cTraceContext.traceparent(shed).charAt(54));
    }
}
