package dev.obs.agent.cli;

import dev.obs.exporter.store.SpanRecord;
import dev.obs.exporter.store.TraceTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trace in the terminal: one line per span (indented name, a bar placed on the trace's time line, duration,
 * status), then a dimmed line of its attributes. Every line fits the width.
 */
final class Waterfall {
    private Waterfall() {
    }

    static List<String> lines(TraceTree tree, Terminal t) {
        int width = Math.max(60, t.width);
        int durationWidth = 8;
        int statusWidth = 5;
        int barWidth = Math.max(10, width / 3);
        int nameWidth = width - barWidth - durationWidth - statusWidth - 3;
        long start = tree.startNanos();
        long total = Math.max(1, tree.durationNanos());
        List<String> out = new ArrayList<>();
        SpanRecord first = tree.nodes().get(0).span();
        out.add(Fmt.fit(t.paint(Terminal.BOLD, "trace " + first.traceId()), width + (t.color ? 8 : 0)));
        out.add(Fmt.fit(Fmt.time(start) + " · " + Fmt.nanos(tree.durationNanos()) + " · " + tree.nodes().size()
                + " spans · " + first.service(), width));
        out.add("");
        for (TraceTree.Node n : tree.nodes()) {
            SpanRecord s = n.span();
            String indent = "  ".repeat(Math.min(n.depth(), nameWidth / 4));
            String name = Fmt.padRight(Fmt.fit(indent + s.name(), nameWidth), nameWidth);
            int from = (int) Math.min(barWidth - 1, (s.startNanos() - start) * barWidth / total);
            int len = (int) Math.max(1, Math.min(barWidth - from, Math.round((double) s.durationNanos() * barWidth / total)));
            String bar = " ".repeat(from) + "█".repeat(len) + " ".repeat(barWidth - from - len);
            String status = s.isError() ? "ERROR" : s.statusCode() == 1 ? "ok" : "";
            out.add(name + " " + t.paint(s.isError() ? Terminal.RED : Terminal.CYAN, bar) + " "
                    + Fmt.padLeft(Fmt.nanos(s.durationNanos()), durationWidth) + " "
                    + (s.isError() ? t.paint(Terminal.RED, Fmt.padRight(status, statusWidth))
                    : Fmt.padRight(status, statusWidth)));
            String attrs = attributes(s);
            if (!attrs.isEmpty()) {
                out.add(t.paint(Terminal.DIM, Fmt.fit(indent + "    " + attrs, width)));
            }
        }
        return out;
    }

    /** The span's attributes as key=value, the code location left out (the name says it). */
    private static String attributes(SpanRecord s) {
        StringBuilder sb = new StringBuilder();
        if (s.isError() && !s.statusMessage().isEmpty()) {
            sb.append("error: ").append(s.statusMessage()).append("  ");
        }
        for (Map.Entry<String, String> e : s.attributes().entrySet()) {
            if (e.getKey().equals("code.namespace") || e.getKey().equals("code.function")) {
                continue;
            }
            sb.append(e.getKey()).append('=').append(e.getValue().replace('\n', ' ')).append("  ");
        }
        return sb.toString().trim();
    }
}
