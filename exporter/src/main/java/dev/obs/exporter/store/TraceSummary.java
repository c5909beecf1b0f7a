package dev.obs.exporter.store;

import java.util.List;

/**
 * One trace in a list: its root (or, when the root was not stored, its earliest span), when it ran, how long
 * from its first start to its last end, how many spans and how many of them failed.
 */
public record TraceSummary(String traceId, String rootName, String service, long startNanos, long durationNanos,
                           int spans, int errors, boolean rootStored) {
    static TraceSummary of(List<SpanRecord> spans) {
        SpanRecord root = null;
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        int errors = 0;
        for (SpanRecord s : spans) {
            if (s.isRoot() && root == null) {
                root = s;
            }
            start = Math.min(start, s.startNanos());
            end = Math.max(end, s.endNanos());
            if (s.isError()) {
                errors++;
            }
        }
        SpanRecord shown = root != null ? root : spans.get(0);
        return new TraceSummary(shown.traceId(), shown.name(), shown.service(), start, Math.max(0, end - start),
                spans.size(), errors, root != null);
    }
}
