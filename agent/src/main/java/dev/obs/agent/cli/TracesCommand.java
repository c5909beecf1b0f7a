package dev.obs.agent.cli;

import dev.obs.exporter.store.OperationsTable;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TimeWindow;
import dev.obs.exporter.store.TraceSet;
import dev.obs.exporter.store.TraceSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obs traces}: the slowest (default) or most recent traces of a window. */
@Command(name = "traces", mixinStandardHelpOptions = true,
        description = "List traces of a window: the slowest (default) or the most recent.")
final class TracesCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;
    @Mixin
    WindowOptions window;
    @Mixin
    ColorOption color;

    static final class Order {
        @Option(names = "--slowest", paramLabel = "N", description = "The N slowest traces (default 20)")
        Integer slowest;
        @Option(names = "--recent", paramLabel = "N", description = "The N most recent traces")
        Integer recent;
    }

    @ArgGroup(exclusive = true)
    Order order;

    @Option(names = "--errors", description = "Only traces with a failed span")
    boolean errors;

    @Option(names = "--operation", paramLabel = "GLOB", description = "Only traces whose root name matches")
    String operation;

    @Option(names = "--service", paramLabel = "NAME", description = "Only traces of this service")
    String service;

    @Option(names = "--json", description = "JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int limit = order == null ? 20 : order.slowest != null ? order.slowest : order.recent;
        if (limit <= 0) {
            throw CliError.usage("--slowest/--recent must be a positive number, not " + limit);
        }
        boolean recent = order != null && order.recent != null;
        StoreReader reader = store.open();
        TimeWindow tw = window.window(Instant.now());
        TraceSet set = reader.traces(tw);
        Pattern glob = operation == null ? null : OperationsTable.globPattern(operation);
        List<TraceSummary> list = new ArrayList<>();
        for (TraceSummary s : set.summaries()) {
            if ((!errors || s.errors() > 0) && (glob == null || glob.matcher(s.rootName()).matches())
                    && (service == null || service.equals(s.service()))) {
                list.add(s);
            }
        }
        list.sort(recent ? Comparator.comparingLong(TraceSummary::startNanos).reversed()
                : Comparator.comparingLong(TraceSummary::durationNanos).reversed());
        int matched = list.size();
        if (list.size() > limit) {
            list = list.subList(0, limit);
        }
        Terminal t = color.terminal();
        if (json) {
            try (Json j = new Json(t.out)) {
                var g = j.g;
                g.writeStartObject();
                g.writeNumberField("matched", matched);
                g.writeArrayFieldStart("traces");
                for (TraceSummary s : list) {
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
                g.writeNumberField("damagedLines", reader.notes().damagedLines());
                g.writeEndObject();
                g.writeEndObject();
            }
            t.out.println();
        } else {
            int width = Math.max(60, t.width);
            // a narrow terminal gets the time of day only
            boolean dates = width >= 100;
            int startedWidth = dates ? 19 : 8;
            int nameWidth = Math.max(10, width - (32 + 1 + startedWidth + 1 + 8 + 1 + 5 + 1 + 4 + 1));
            t.out.println(t.paint(Terminal.BOLD, Fmt.padRight("TRACE", 32) + " " + Fmt.padRight("STARTED", startedWidth) + " "
                    + Fmt.padLeft("DURATION", 8) + " " + Fmt.padLeft("SPANS", 5) + " " + Fmt.padLeft("ERR", 4) + " "
                    + "ROOT"));
            for (TraceSummary s : list) {
                String err = Fmt.padLeft(String.valueOf(s.errors()), 4);
                String started = Fmt.time(s.startNanos());
                t.out.println(s.traceId() + " " + (dates ? started : started.substring(11)) + " "
                        + Fmt.padLeft(Fmt.nanos(s.durationNanos()), 8) + " " + Fmt.padLeft(Fmt.count(s.spans()), 5) + " "
                        + (s.errors() > 0 ? t.paint(Terminal.RED, err) : err) + " "
                        + Fmt.fit(s.rootName() + (s.rootStored() ? "" : " (root not stored)"), nameWidth));
            }
            t.out.println(t.paint(Terminal.DIM, Fmt.fit(list.size() + " of " + matched + " traces"
                    + (recent ? ", most recent first" : ", slowest first") + " · obs trace <TRACE> shows one", width)));
            t.out.flush();
        }
        if (reader.notes().damagedNote() != null) {
            System.err.println(reader.notes().damagedNote());
        }
        return 0;
    }
}
