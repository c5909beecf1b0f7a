package dev.obs.agent.cli;

import dev.obs.exporter.store.SpanRecord;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TraceTree;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code obs trace <traceId>}: a waterfall of one trace. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "One trace as a waterfall: the span tree with a time bar, duration, status, attributes.")
final class TraceCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;
    @Mixin
    ColorOption color;

    @Parameters(paramLabel = "TRACE_ID", description = "32 hex digits (from obs traces)")
    String traceId;

    @Option(names = "--json", description = "JSON instead of a waterfall")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!traceId.matches("[0-9a-fA-F]{32}")) {
            throw CliError.usage("'" + traceId + "' is not a trace id (32 hex digits, as obs traces lists them)");
        }
        StoreReader reader = store.open();
        List<SpanRecord> spans = reader.trace(traceId);
        if (spans.isEmpty()) {
            throw CliError.failure("no span of trace " + traceId + " in " + reader.dir());
        }
        TraceTree tree = TraceTree.of(spans);
        Terminal t = color.terminal();
        if (json) {
            writeJson(tree, t);
        } else {
            for (String line : Waterfall.lines(tree, t)) {
                t.out.println(line.stripTrailing());
            }
            t.out.flush();
        }
        if (reader.notes().damagedNote() != null) {
            System.err.println(reader.notes().damagedNote());
        }
        return 0;
    }

    private static void writeJson(TraceTree tree, Terminal t) throws Exception {
        try (Json j = new Json(t.out)) {
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
        t.out.println();
    }
}
