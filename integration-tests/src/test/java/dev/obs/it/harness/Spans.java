package dev.obs.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Picking spans out of what a receiver got, with failure messages that list all of them. */
public final class Spans {
    private Spans() {
    }

    /** The one span of {@code spans} that {@code filter} accepts; fails when there is none or more than one. */
    public static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> found = spans.stream().filter(filter).collect(Collectors.toList());
        assertEquals(1, found.size(), "expected one span, got " + found + " of\n" + describe(spans));
        return found.get(0);
    }

    /** Asserts that {@code child} started and ended within {@code parent}. */
    public static void assertWithin(ReceivedSpan child, ReceivedSpan parent) {
        assertTrue(parent.span().getStartTimeUnixNano() <= child.span().getStartTimeUnixNano()
                && child.span().getEndTimeUnixNano() <= parent.span().getEndTimeUnixNano(), child + " within " + parent);
    }

    public static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
}
