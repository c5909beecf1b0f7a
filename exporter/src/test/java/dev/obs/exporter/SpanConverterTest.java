package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a recorded span becomes on the wire: name, kind, attributes, status, events, ids and times, exactly. */
class SpanConverterTest {
    private static final long EPOCH_OFFSET = 1_000_000_000_000L;
    private static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            "converter-test"));
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.builder("dev.obs")
            .setVersion("9.9").build();

    private final List<ObsSpan> queued = new ArrayList<>();
    private final SpanConverter converter = new SpanConverter(RESOURCE, SCOPE, EPOCH_OFFSET);

    @BeforeEach
    void recordIntoThisTest() {
        Recorder.install(queued::add, 1.0);
        Recorder.swapCurrentSpan(null);
    }

    @AfterEach
    void stopRecording() {
        Recorder.install(null, 1.0);
        Recorder.swapCurrentSpan(null);
    }

    @Test
    void methodSpanIsNamedClassDotFunctionWithItsCodeAttributes() {
        Recorder.endSpan(Recorder.startMethodSpan("com.acme.Billing", "charge"), null);

        SpanData d = converter.convert(single());

        assertEquals("Billing.charge", d.getName());
        assertEquals(Attributes.of(SpanConverter.CODE_NAMESPACE, "com.acme.Billing",
                SpanConverter.CODE_FUNCTION, "charge"), d.getAttributes());
        assertEquals(SpanKind.INTERNAL, d.getKind());
        assertEquals(StatusData.unset(), d.getStatus());
        assertEquals(List.of(), d.getEvents());
    }

    @Test
    void libraryAttributesKeepTheirTypes() {
        ObsSpan span = Recorder.startSpan("lib op");
        span.setAttribute("s", "text").setAttribute("l", 7L).setAttribute("i", 3).setAttribute("d", 0.5)
                .setAttribute("a", new String[] {"x", "y"}).setAttribute("b", true)
                .setAttribute("o", new StringBuilder("other"));
        Recorder.endSpan(span, null);

        SpanData d = converter.convert(single());

        assertEquals("lib op", d.getName());
        assertEquals(Attributes.builder().put(AttributeKey.stringKey("s"), "text")
                .put(AttributeKey.longKey("l"), 7L).put(AttributeKey.longKey("i"), 3L)
                .put(AttributeKey.doubleKey("d"), 0.5).put(AttributeKey.stringArrayKey("a"), List.of("x", "y"))
                .put(AttributeKey.booleanKey("b"), true).put(AttributeKey.stringKey("o"), "other").build(),
                d.getAttributes());
    }

    @Test
    void librarySpanWithoutAttributesHasNone() {
        Recorder.endSpan(Recorder.startSpan("bare"), null);

        assertEquals(Attributes.empty(), converter.convert(single()).getAttributes());
    }

    @Test
    void spanKindIsTheRecordedOtelKind() {
        ObsSpan span = Recorder.startSpan("client call");
        span.spanKind = (byte) SpanKind.CLIENT.ordinal();
        Recorder.endSpan(span, null);

        assertEquals(SpanKind.CLIENT, converter.convert(single()).getKind());
    }

    @Test
    void unknownSpanKindIsInternal() {
        ObsSpan span = Recorder.startSpan("odd kind");
        span.spanKind = 99;
        Recorder.endSpan(span, null);

        assertEquals(SpanKind.INTERNAL, converter.convert(single()).getKind());
    }

    @Test
    void exceptionGivesErrorStatusAndOneExceptionEventAtTheEnd() {
        Recorder.endSpan(Recorder.startSpan("throws"), new IllegalStateException("boom"));

        SpanData d = converter.convert(single());

        assertEquals(StatusData.error().getStatusCode(), d.getStatus().getStatusCode());
        assertEquals("boom", d.getStatus().getDescription());
        assertEquals(1, d.getEvents().size());
        EventData e = d.getEvents().get(0);
        assertEquals("exception", e.getName());
        assertEquals(d.getEndEpochNanos(), e.getEpochNanos());
        assertEquals(Attributes.of(SpanConverter.EXCEPTION_TYPE, "java.lang.IllegalStateException",
                SpanConverter.EXCEPTION_MESSAGE, "boom"), e.getAttributes());
    }

    @Test
    void exceptionWithoutMessageHasAnEmptyDescriptionAndNoMessageAttribute() {
        Recorder.endSpan(Recorder.startSpan("throws quietly"), new IllegalStateException());

        SpanData d = converter.convert(single());

        assertEquals("", d.getStatus().getDescription());
        assertEquals(Attributes.of(SpanConverter.EXCEPTION_TYPE, "java.lang.IllegalStateException"),
                d.getEvents().get(0).getAttributes());
    }

    @Test
    void failedWithoutExceptionIsAnErrorWithoutEvent() {
        ObsSpan span = Recorder.startSpan("exit 1");
        span.failed = true;
        Recorder.endSpan(span, null);

        SpanData d = converter.convert(single());

        assertEquals(StatusData.error(), d.getStatus());
        assertEquals(List.of(), d.getEvents());
    }

    @Test
    void rootSpanHasAnInvalidParentAndItsOwnIds() {
        Recorder.endSpan(Recorder.startSpan("root"), null);
        ObsSpan root = single();

        SpanData d = converter.convert(root);

        assertEquals(SpanContext.getInvalid(), d.getParentSpanContext());
        assertEquals(TraceId.fromLongs(root.traceIdHigh, root.traceIdLow), d.getTraceId());
        assertEquals(SpanId.fromLong(root.spanId), d.getSpanId());
        assertEquals(true, d.getSpanContext().isSampled());
    }

    @Test
    void childSpanLinksToItsParentInTheSameTrace() {
        ObsSpan parent = Recorder.startSpan("parent");
        Recorder.endSpan(Recorder.startSpan("child"), null);
        Recorder.endSpan(parent, null);
        ObsSpan child = queued.get(0);

        SpanData d = converter.convert(child);

        SpanContext p = d.getParentSpanContext();
        assertEquals(SpanId.fromLong(parent.spanId), p.getSpanId());
        assertEquals(TraceId.fromLongs(parent.traceIdHigh, parent.traceIdLow), p.getTraceId());
        assertEquals(p.getTraceId(), d.getTraceId());
        assertEquals(true, p.isSampled());
    }

    @Test
    void timesAreEpochNanosecondsByTheOffset() {
        Recorder.endSpan(Recorder.startSpan("timed"), null);
        ObsSpan span = single();

        SpanData d = converter.convert(span);

        assertEquals(span.startNanos + EPOCH_OFFSET, d.getStartEpochNanos());
        assertEquals(span.endNanos + EPOCH_OFFSET, d.getEndEpochNanos());
    }

    @Test
    void resourceAndScopeAreTheConvertersOwn() {
        Recorder.endSpan(Recorder.startSpan("anywhere"), null);

        SpanData d = converter.convert(single());

        assertSame(RESOURCE, d.getResource());
        assertEquals(SCOPE, d.getInstrumentationScopeInfo());
    }

    private ObsSpan single() {
        assertEquals(1, queued.size(), "one span ended");
        ObsSpan span = queued.get(0);
        assertNotNull(span);
        return span;
    }
}
