package dev.obs.agent.cli;

import dev.obs.exporter.store.SpanRecord;
import dev.obs.exporter.store.TraceSet;
import dev.obs.exporter.store.TraceSummary;
import dev.obs.exporter.store.TraceTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which traces {@code obs traces} lists, and the JSON of {@code obs traces --json} and {@code obs trace --json}:
 * one place for the commands and the HTML report, so they show the same traces with the same figures.
 */
final class TracesJson {
    /** The traces shown ({@code traces}, at most the limit) of the {@code matched} that passed the filters. */
    record Selection(int matched, List<TraceSummary> traces) {
    }

    private TracesJson() {
    }

    /** {@code glob} and {@code service} may be null; slowest first, or most recent first when {@code recent}. */
    static Selection select(TraceSet set, boolean errorsOnly, Pattern glob, String service, boolean recent,
                            int limit) {
        List<TraceSummary> list = new ArrayList<>();
        for (TraceSummary s : set.summaries()) {
            if ((!errorsOnly || s.errors() > 0) && (glob == null || glob.matcher(s.rootName()).matches())
                    && (service == null || service.equals(s.service()))) {
                list.add(s);
            }
        }
        list.sort(recent ? Comparator.comparingLong(TraceSummary::startNanos).reversed()
                : Comparator.comparingLong(TraceSummary::durationNanos).reversed());
        int matched = list.size();
        return new Selection(matched, list.size() > limit ? List.copyOf(list.subList(0, limit)) : list);
    }

    /** {@code obs traces --json}. */
    static void writeList(Json j, Selection selection, long damagedLines) throws IOException {
        var g = j.g;
        g.writeStartObject();
        g.writeNumberField("matched", selection.matched());
        g.writeArrayFieldStart("traces");
        for (TraceSummary s : selection.traces()) {
            g.writeStartObject();
            g.writeStringField("traceId", s.traceId());
            g.writeStringField("root", s.rootName());
            g.writeBooleanField("rootStored", s.rootStored());
            g.writeStringField("service", s.service());
            g.writeStringField("start", Fmt.iso(s.startNanos()));
            j.number("durationSeconds", s.durationNanos() / 1e9);
            g.writeNumberField("spans", s.spans());
            g.writeNumberField("errors", s.errors());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("notes");
        g.writeNumberField("damagedLines", damagedLines);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code obs trace ID --json}. */
    static void writeTree(Json j, TraceTree tree) throws IOException {
        var g = j.g;
        g.writeStartObject();
        SpanRecord first = tree.nodes().get(0).span();
        g.writeStringField("traceId", first.traceId());
        g.writeStringField("start", Fmt.iso(tree.startNanos()));
        j.number("durationSeconds", tree.durationNanos() / 1e9);
        g.writeArrayFieldStart("spans");
        for (TraceTree.Node n : tree.nodes()) {
            SpanRecord s = n.span();
            g.writeStartObject();
            g.writeStringField("spanId", s.spanId());
            g.writeStringField("parentSpanId", s.parentSpanId());
            g.writeNumberField("depth", n.depth());
            g.writeStringField("name", s.name());
            g.writeStringField("service", s.service());
            j.number("offsetSeconds", (s.startNanos() - tree.startNanos()) / 1e9);
            j.number("durationSeconds", s.durationNanos() / 1e9);
            g.writeStringField("status", s.statusCode() == 2 ? "error" : s.statusCode() == 1 ? "ok" : "unset");
            if (!s.statusMessage().isEmpty()) {
                g.writeStringField("statusMessage", s.statusMessage());
            }
            g.writeObjectFieldStart("attributes");
            for (Map.Entry<String, String> e : s.attributes().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
