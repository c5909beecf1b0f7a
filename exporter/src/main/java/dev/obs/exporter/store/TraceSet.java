package dev.obs.exporter.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The spans of a window grouped by trace, with one summary per trace. */
public final class TraceSet {
    private final Map<String, List<SpanRecord>> byTrace = new LinkedHashMap<>();

    TraceSet(List<SpanRecord> spans) {
        spans.sort(Comparator.comparingLong(SpanRecord::startNanos));
        for (SpanRecord s : spans) {
            byTrace.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
    }

    public int spanCount() {
        return byTrace.values().stream().mapToInt(List::size).sum();
    }

    public List<SpanRecord> spans(String traceId) {
        return byTrace.getOrDefault(traceId, List.of());
    }

    /** One summary per trace, in start order. */
    public List<TraceSummary> summaries() {
        List<TraceSummary> out = new ArrayList<>(byTrace.size());
        for (List<SpanRecord> spans : byTrace.values()) {
            out.add(TraceSummary.of(spans));
        }
        return out;
    }
}
