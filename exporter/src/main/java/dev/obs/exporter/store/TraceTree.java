package dev.obs.exporter.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One trace as a tree for a waterfall: spans in depth-first order, children by start time, each with its
 * depth. A span whose parent was not stored (another process, or shed) starts a tree of its own at depth 0.
 */
public final class TraceTree {
    /** A span and its depth in the tree (0 for a root). */
    public record Node(SpanRecord span, int depth) {
    }

    private final List<Node> nodes;
    private final long startNanos;
    private final long endNanos;

    private TraceTree(List<Node> nodes, long startNanos, long endNanos) {
        this.nodes = nodes;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    public static TraceTree of(List<SpanRecord> spans) {
        Map<String, List<SpanRecord>> children = new HashMap<>();
        Set<String> ids = new HashSet<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (SpanRecord s : spans) {
            ids.add(s.spanId());
            start = Math.min(start, s.startNanos());
            end = Math.max(end, s.endNanos());
        }
        List<SpanRecord> roots = new ArrayList<>();
        for (SpanRecord s : spans) {
            if (s.isRoot() || !ids.contains(s.parentSpanId())) {
                roots.add(s);
            } else {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
            }
        }
        Comparator<SpanRecord> byStart = Comparator.comparingLong(SpanRecord::startNanos);
        roots.sort(byStart);
        children.values().forEach(l -> l.sort(byStart));
        List<Node> nodes = new ArrayList<>(spans.size());
        Set<String> visited = new HashSet<>();
        for (SpanRecord r : roots) {
            walk(r, 0, children, nodes, visited);
        }
        return new TraceTree(nodes, spans.isEmpty() ? 0 : start, spans.isEmpty() ? 0 : end);
    }

    private static void walk(SpanRecord s, int depth, Map<String, List<SpanRecord>> children, List<Node> out,
                             Set<String> visited) {
        if (!visited.add(s.spanId())) {
            return; // a cycle of ids in damaged data: each span once
        }
        out.add(new Node(s, depth));
        for (SpanRecord c : children.getOrDefault(s.spanId(), List.of())) {
            walk(c, depth + 1, children, out, visited);
        }
    }

    public List<Node> nodes() {
        return nodes;
    }

    public long startNanos() {
        return startNanos;
    }

    public long endNanos() {
        return endNanos;
    }

    public long durationNanos() {
        return Math.max(0, endNanos - startNanos);
    }
}
