package dev.obs.agent.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.obs.exporter.store.MetricsWindow;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TimeWindow;
import dev.obs.exporter.sync.SyncStoreView;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obs sync metrics}, {@code obs sync events}, {@code obs sync conflicts}: a sync service seen from the store. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "A sync service (the sync family): its state, operations, volume, lag and errors.",
        subcommands = {SyncCommand.Metrics.class, SyncCommand.Events.class, SyncCommand.Conflicts.class})
final class SyncCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is missing (metrics, events, conflicts)");
    }

    /** {@code obs sync metrics}: sections State, Operations, Data volume, Performance, Errors. */
    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "State, operations, data volume, performance and errors of the sync service.")
    static final class Metrics implements Callable<Integer> {
        @Mixin
        StoreOption store;
        @Mixin
        WindowOptions window;
        @Mixin
        ColorOption color;
        @Option(names = "--service", paramLabel = "NAME", description = "Only this service (service.name)")
        String service;
        @Option(names = "--peer", paramLabel = "PEER", description = "Only series of this peer")
        String peer;
        @Option(names = "--model", paramLabel = "MODEL", description = "Only series of this model")
        String model;
        @Option(names = "--json", description = "One JSON object instead of the tree")
        boolean json;
        @Option(names = "--state", description = "Only the State section")
        boolean state;
        @Option(names = "--operations", description = "Only the Operations section")
        boolean operations;
        @Option(names = "--errors", description = "Only the Errors section")
        boolean errors;
        @Option(names = "--watch", arity = "0..1", fallbackValue = "2s", paramLabel = "INTERVAL",
                description = "Redraw in place as the store grows, looking every INTERVAL (default 2s); Ctrl-C ends")
        String watch;

        @Override
        public Integer call() throws Exception {
            java.time.Duration interval = watch == null ? null : MetricsCommand.parseInterval(watch);
            if (interval != null && json) {
                throw CliError.usage("--watch redraws the tree: it does not go with --json");
            }
            return MetricsCommand.showOrWatch(color.terminal(), interval, () -> MetricsCommand.storeState(store),
                    this::show);
        }

        private void show(Terminal t, boolean redraw) throws IOException {
            StoreReader reader = store.open();
            Instant now = Instant.now();
            TimeWindow tw = window.window(now);
            MetricsWindow w = reader.metrics(tw, now.getEpochSecond() * 1_000_000_000L + now.getNano());
            SyncStoreView v = SyncStoreView.of(w.totals(service), w.seconds(), peer, model);
            boolean all = !state && !operations && !errors;
            if (json) {
                writeJson(v, t);
                return;
            }
            List<String> out = new ArrayList<>();
            if (all || state) {
                stateSection(v, out);
            }
            if (all || operations) {
                operationsSection(v, out);
            }
            if (all) {
                volumeSection(v, out);
                performanceSection(v, out);
            }
            if (all || errors) {
                errorsSection(v, out);
            }
            if (t.interactive) {
                out.replaceAll(line -> Fmt.fit(line, t.width));
            }
            MetricsCommand.print(t, out, redraw, watch);
        }

        private static void tree(List<String> out, String title, List<String> rows) {
            out.add(title);
            for (int i = 0; i < rows.size(); i++) {
                out.add((i == rows.size() - 1 ? "└─ " : "├─ ") + rows.get(i));
            }
            out.add("");
        }

        private static void stateSection(SyncStoreView v, List<String> out) {
            List<String> rows = new ArrayList<>();
            double up = v.uptimeSeconds();
            rows.add("current: " + (v.currentState == null ? "-" : v.currentState));
            rows.add("uptime: " + Fmt.seconds(up) + " · transitions: " + v.transitions);
            for (Map.Entry<String, Double> e : v.stateSeconds.entrySet()) {
                rows.add(e.getKey() + ": " + Fmt.seconds(e.getValue())
                        + String.format(" (%.1f %%)", up > 0 ? 100 * e.getValue() / up : 0));
            }
            tree(out, "State", rows);
        }

        private static void operationsSection(SyncStoreView v, List<String> out) {
            List<String> rows = new ArrayList<>();
            for (Map.Entry<String, SyncStoreView.Operation> e : v.operations.entrySet()) {
                SyncStoreView.Operation o = e.getValue();
                StringBuilder b = new StringBuilder(e.getKey()).append(": ").append(o.count);
                for (Map.Entry<String, Long> oc : o.byOutcome.entrySet()) {
                    b.append(" · ").append(oc.getKey()).append(' ').append(oc.getValue())
                            .append(String.format(" (%.1f %%)", o.count > 0 ? 100.0 * oc.getValue() / o.count : 0));
                }
                if (o.records > 0) {
                    b.append(" · records ").append(o.records);
                }
                rows.add(b.toString());
            }
            for (Map.Entry<String, Long> q : v.queueDepth.entrySet()) {
                rows.add("queue " + q.getKey() + ": depth " + q.getValue());
            }
            tree(out, "Operations", rows);
        }

        private static void volumeSection(SyncStoreView v, List<String> out) {
            List<String> rows = new ArrayList<>();
            for (Map.Entry<String, Long> e : v.recordsByModel.entrySet()) {
                rows.add("model " + e.getKey() + ": " + e.getValue() + " records");
            }
            java.util.Set<String> peers = new java.util.TreeSet<>(v.sentByPeer.keySet());
            peers.addAll(v.receivedByPeer.keySet());
            peers.addAll(v.online.keySet());
            for (String p : peers) {
                Integer on = v.online.get(p);
                String name = v.peerNames.get(p);
                rows.add("peer " + p + (name == null ? "" : " (" + name + ")") + ": sent "
                        + Fmt.bytes(v.sentByPeer.getOrDefault(p, 0L)) + " · received "
                        + Fmt.bytes(v.receivedByPeer.getOrDefault(p, 0L))
                        + (on == null ? "" : on == 1 ? " · online" : " · offline"));
            }
            double s = v.windowSeconds;
            rows.add("bandwidth: sent " + Fmt.bytes(rate(v.bytesSent(), s)) + "/s · received "
                    + Fmt.bytes(rate(v.bytesReceived(), s)) + "/s · total "
                    + Fmt.bytes(rate(v.bytesSent() + v.bytesReceived(), s)) + "/s");
            tree(out, "Data volume", rows);
        }

        private static long rate(long bytes, double seconds) {
            return seconds > 0 ? Math.round(bytes / seconds) : bytes;
        }

        private static void performanceSection(SyncStoreView v, List<String> out) {
            List<String> rows = new ArrayList<>();
            for (Map.Entry<String, SyncStoreView.Operation> e : v.operations.entrySet()) {
                SyncStoreView.Operation o = e.getValue();
                if (o.latency != null) {
                    rows.add(e.getKey() + ": avg " + Fmt.seconds(o.avgSeconds()) + " · p95 "
                            + Fmt.seconds(o.p95Seconds()) + " · max " + Fmt.seconds(o.maxSeconds()));
                }
            }
            for (Map.Entry<String, Double> e : v.lagSeconds.entrySet()) {
                rows.add("lag " + e.getKey() + ": " + Fmt.seconds(e.getValue()) + " (watermark age)");
            }
            if (!Double.isNaN(v.driftSeconds)) {
                rows.add("clock drift: " + Fmt.seconds(v.driftSeconds));
            }
            tree(out, "Performance", rows);
        }

        private static void errorsSection(SyncStoreView v, List<String> out) {
            List<String> rows = new ArrayList<>();
            rows.add("total: " + v.errors);
            for (Map.Entry<String, Long> e : v.errorsByType.entrySet()) {
                rows.add(e.getKey() + ": " + e.getValue());
            }
            for (Map.Entry<String, Long> e : v.conflictsByResolution.entrySet()) {
                rows.add("conflicts " + e.getKey() + ": " + e.getValue());
            }
            tree(out, "Errors", rows);
        }

        private static void writeJson(SyncStoreView v, Terminal t) throws IOException {
            writeJson(v, t.out);
            t.out.println();
        }

        /** What {@code obs sync metrics --json} prints (the report embeds the same). */
        static void writeJson(SyncStoreView v, java.io.OutputStream out) throws IOException {
            try (Json j = new Json(out)) {
                var g = j.g;
                g.writeStartObject();
                g.writeObjectFieldStart("state");
                if (v.currentState == null) {
                    g.writeNullField("current");
                } else {
                    g.writeStringField("current", v.currentState);
                }
                j.number("uptimeSeconds", v.uptimeSeconds());
                g.writeNumberField("transitions", v.transitions);
                g.writeObjectFieldStart("secondsByState");
                for (Map.Entry<String, Double> e : v.stateSeconds.entrySet()) {
                    j.number(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeObjectFieldStart("operations");
                for (Map.Entry<String, SyncStoreView.Operation> e : v.operations.entrySet()) {
                    SyncStoreView.Operation o = e.getValue();
                    g.writeObjectFieldStart(e.getKey());
                    g.writeNumberField("count", o.count);
                    j.longs("byOutcome", o.byOutcome);
                    g.writeNumberField("records", o.records);
                    j.number("avgSeconds", o.avgSeconds());
                    j.number("p95Seconds", o.p95Seconds());
                    j.number("maxSeconds", o.maxSeconds());
                    g.writeEndObject();
                }
                g.writeEndObject();
                j.longs("queueDepth", v.queueDepth);
                j.longs("recordsByModel", v.recordsByModel);
                j.longs("bytesSentByPeer", v.sentByPeer);
                j.longs("bytesReceivedByPeer", v.receivedByPeer);
                g.writeObjectFieldStart("peers");
                for (Map.Entry<String, Integer> e : v.online.entrySet()) {
                    g.writeObjectFieldStart(e.getKey());
                    g.writeBooleanField("online", e.getValue() == 1);
                    if (v.peerNames.containsKey(e.getKey())) {
                        g.writeStringField("name", v.peerNames.get(e.getKey()));
                    }
                    if (v.lagSeconds.containsKey(e.getKey())) {
                        j.number("lagSeconds", v.lagSeconds.get(e.getKey()));
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
                j.number("clockDriftSeconds", v.driftSeconds);
                g.writeObjectFieldStart("errors");
                g.writeNumberField("total", v.errors);
                j.longs("byType", v.errorsByType);
                g.writeEndObject();
                j.longs("conflicts", v.conflictsByResolution);
                g.writeEndObject();
            }
        }
    }

    /** The sync events of the store within {@code tw} (all of them: {@code event.name} {@code sync.*}), oldest first. */
    static List<Map<String, String>> events(StoreReader reader, TimeWindow tw) throws IOException {
        List<Map<String, String>> read = new ArrayList<>();
        reader.forEachLine("logs", TimeWindow.ALL, (buf, off, len) -> {
            try (JsonParser p = Events.JSON.createParser(buf, off, len)) {
                Events.readRecords(p, read);
            }
        });
        read.removeIf(e -> !tw.contains(Long.parseLong(e.getOrDefault("timeUnixNano", "0")))
                || !String.valueOf(e.get("event.name")).startsWith("sync."));
        read.sort(java.util.Comparator.comparingLong(e -> Long.parseLong(e.get("timeUnixNano"))));
        return read;
    }

    /** {@code obs sync events}: transitions, errors and conflicts, oldest first, from the store's log records. */
    @Command(name = "events", mixinStandardHelpOptions = true,
            description = "Sync state transitions, errors and conflicting paths, oldest first.")
    static final class Events implements Callable<Integer> {
        static final JsonFactory JSON = new JsonFactory();
        @Mixin
        StoreOption store;
        @Mixin
        WindowOptions window;
        @Mixin
        ColorOption color;
        @Option(names = "--type", paramLabel = "TYPE", description = "transition, error or conflict (default: all)")
        String type;
        @Option(names = "--limit", paramLabel = "N", description = "At most the last N events")
        Integer limit;
        @Option(names = "--json", description = "A JSON array instead of lines")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (type != null && !type.equals("transition") && !type.equals("error") && !type.equals("conflict")) {
                throw CliError.usage("--type '" + type + "' is not transition, error or conflict");
            }
            if (limit != null && limit <= 0) {
                throw CliError.usage("--limit " + limit + " is not a positive number");
            }
            StoreReader reader = store.open();
            TimeWindow tw = window.window(Instant.now());
            List<Map<String, String>> events = events(reader, tw);
            events.removeIf(e -> type != null && !("sync." + type).equals(e.get("event.name")));
            if (limit != null && events.size() > limit) {
                events = events.subList(events.size() - limit, events.size());
            }
            Terminal t = color.terminal();
            if (json) {
                try (Json j = new Json(t.out)) {
                    j.g.writeStartArray();
                    for (Map<String, String> e : events) {
                        j.g.writeStartObject();
                        j.g.writeStringField("time", Fmt.iso(Long.parseLong(e.get("timeUnixNano"))));
                        for (Map.Entry<String, String> a : e.entrySet()) {
                            if (!a.getKey().equals("timeUnixNano")) {
                                j.g.writeStringField(a.getKey(), a.getValue());
                            }
                        }
                        j.g.writeEndObject();
                    }
                    j.g.writeEndArray();
                }
                t.out.println();
            } else {
                for (Map<String, String> e : events) {
                    String when = Fmt.time(Long.parseLong(e.get("timeUnixNano")));
                    if ("sync.transition".equals(e.get("event.name"))) {
                        t.out.println(when + "  transition  " + e.get("sync.from") + " -> " + e.get("sync.to")
                                + "  (" + e.get("sync.reason") + ")");
                    } else if ("sync.conflict".equals(e.get("event.name"))) {
                        t.out.println(when + "  conflict    " + e.get("sync.path") + "  " + e.get("sync.ours")
                                + " <- " + e.get("sync.theirs") + "  " + e.get("sync.operation"));
                    } else {
                        t.out.println(when + "  error       " + e.get("error.type") + "  " + e.get("sync.operation")
                                + " " + e.get("sync.peer") + "  " + e.get("sync.message"));
                    }
                }
                t.out.flush();
            }
            return 0;
        }

        /** The log records of one stored ExportLogsServiceRequest line: time, body and string attributes. */
        static void readRecords(JsonParser p, List<Map<String, String>> out) throws IOException {
            Map<String, String> current = null;
            String key = null;
            int depth = 0;
            int recordDepth = -1;
            boolean inRecords = false;
            for (JsonToken tok; (tok = p.nextToken()) != null; ) {
                if (tok == JsonToken.START_OBJECT || tok == JsonToken.START_ARRAY) {
                    depth++;
                    if (tok == JsonToken.START_OBJECT && inRecords && current == null) {
                        current = new LinkedHashMap<>();
                        recordDepth = depth;
                    }
                } else if (tok == JsonToken.END_OBJECT || tok == JsonToken.END_ARRAY) {
                    if (tok == JsonToken.END_OBJECT && current != null && depth == recordDepth) {
                        out.add(current);
                        current = null;
                    }
                    if (tok == JsonToken.END_ARRAY && inRecords && current == null) {
                        inRecords = false;
                    }
                    depth--;
                } else if (tok == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (name.equals("logRecords")) {
                        inRecords = true;
                    } else if (current != null && name.equals("key")) {
                        p.nextToken();
                        key = p.getText();
                    } else if (current != null && name.equals("stringValue")) {
                        p.nextToken();
                        current.put(key == null ? "body" : key, p.getText());
                        key = null;
                    } else if (current != null && name.equals("timeUnixNano") && depth == recordDepth) {
                        p.nextToken();
                        current.put("timeUnixNano", p.getText());
                    } else if (current != null && name.equals("body")) {
                        key = null;
                    }
                }
            }
        }
    }

    /**
     * {@code obs sync conflicts}: the paths that conflicted most in the window, how often, and between which
     * branches, from the {@code sync.conflict} events (Git merges, pulls and rebases, with
     * {@code obs.git.capture.paths=true}).
     */
    @Command(name = "conflicts", mixinStandardHelpOptions = true,
            description = "The paths that conflicted most, how often, and between which branches "
                    + "(recorded with -Dobs.git.capture.paths=true).")
    static final class Conflicts implements Callable<Integer> {
        static final int DEFAULT_LIMIT = 20;
        @Mixin
        StoreOption store;
        @Mixin
        WindowOptions window;
        @Mixin
        ColorOption color;
        @Option(names = "--limit", paramLabel = "N", description = "At most N paths (default: 20)")
        int limit = DEFAULT_LIMIT;
        @Option(names = "--json", description = "A JSON array instead of the table")
        boolean json;

        /** One path's conflicts. */
        static final class PathConflicts {
            final String path;
            long count;
            long lastNanos;
            /** "ours <- theirs" → count, in the order first seen. */
            final Map<String, Long> between = new LinkedHashMap<>();
            final Map<String, String[]> branches = new LinkedHashMap<>();

            PathConflicts(String path) {
                this.path = path;
            }
        }

        @Override
        public Integer call() throws Exception {
            if (limit <= 0) {
                throw CliError.usage("--limit " + limit + " is not a positive number");
            }
            StoreReader reader = store.open();
            List<PathConflicts> ranked = rank(events(reader, window.window(Instant.now())));
            List<PathConflicts> shown = ranked.subList(0, Math.min(limit, ranked.size()));
            Terminal t = color.terminal();
            if (json) {
                writeJson(shown, t.out);
                t.out.println();
                return 0;
            }
            if (ranked.isEmpty()) {
                t.out.println("no conflicting paths in the store (they are recorded with -Dobs.git.capture.paths=true)");
                t.out.flush();
                return 0;
            }
            int width = 4;
            for (PathConflicts p : shown) {
                width = Math.max(width, p.path.length());
            }
            width = Math.min(width, Math.max(20, t.width - 40));
            t.out.println(Fmt.padRight("PATH", width) + "  CONFLICTS  LAST                 BETWEEN");
            for (PathConflicts p : shown) {
                StringBuilder between = new StringBuilder();
                for (Map.Entry<String, Long> b : p.between.entrySet()) {
                    if (between.length() > 0) {
                        between.append(", ");
                    }
                    between.append(b.getKey()).append(" (").append(b.getValue()).append(')');
                }
                t.out.println(Fmt.padRight(Fmt.fit(p.path, width), width) + "  "
                        + Fmt.padLeft(String.valueOf(p.count), 9) + "  " + Fmt.time(p.lastNanos) + "  " + between);
            }
            if (ranked.size() > shown.size()) {
                t.out.println((ranked.size() - shown.size()) + " more paths (--limit)");
            }
            t.out.flush();
            return 0;
        }

        /** What {@code obs sync conflicts --json} prints (the report embeds the same). */
        static void writeJson(List<PathConflicts> shown, java.io.OutputStream out) throws IOException {
            try (Json j = new Json(out)) {
                j.g.writeStartArray();
                for (PathConflicts p : shown) {
                    j.g.writeStartObject();
                    j.g.writeStringField("path", p.path);
                    j.g.writeNumberField("conflicts", p.count);
                    j.g.writeStringField("last", Fmt.iso(p.lastNanos));
                    j.g.writeArrayFieldStart("between");
                    for (Map.Entry<String, Long> b : p.between.entrySet()) {
                        String[] ot = p.branches.get(b.getKey());
                        j.g.writeStartObject();
                        j.g.writeStringField("ours", ot[0]);
                        j.g.writeStringField("theirs", ot[1]);
                        j.g.writeNumberField("conflicts", b.getValue());
                        j.g.writeEndObject();
                    }
                    j.g.writeEndArray();
                    j.g.writeEndObject();
                }
                j.g.writeEndArray();
            }
        }

        /** The conflict events by path, most conflicts first (then the path's name). */
        static List<PathConflicts> rank(List<Map<String, String>> events) {
            Map<String, PathConflicts> byPath = new LinkedHashMap<>();
            for (Map<String, String> e : events) {
                if (!"sync.conflict".equals(e.get("event.name")) || e.get("sync.path") == null) {
                    continue;
                }
                PathConflicts p = byPath.computeIfAbsent(e.get("sync.path"), PathConflicts::new);
                p.count++;
                p.lastNanos = Math.max(p.lastNanos, Long.parseLong(e.get("timeUnixNano")));
                String ours = e.getOrDefault("sync.ours", "");
                String theirs = e.getOrDefault("sync.theirs", "");
                String key = (ours.isEmpty() ? "?" : ours) + " <- " + (theirs.isEmpty() ? "?" : theirs);
                p.between.merge(key, 1L, Long::sum);
                p.branches.putIfAbsent(key, new String[] {ours, theirs});
            }
            List<PathConflicts> out = new ArrayList<>(byPath.values());
            out.sort(java.util.Comparator.comparingLong((PathConflicts p) -> -p.count).thenComparing(p -> p.path));
            return out;
        }
    }
}
