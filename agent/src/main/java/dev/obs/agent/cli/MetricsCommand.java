package dev.obs.agent.cli;

import dev.obs.exporter.store.MetricsSummary;
import dev.obs.exporter.store.MetricsWindow;
import dev.obs.exporter.store.StoreFamilies;
import dev.obs.exporter.store.StoreFile;
import dev.obs.exporter.store.StoreReader;
import dev.obs.exporter.store.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code obs metrics}: the operations table over a window of the store, or of a running agent. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "The operations table over a window: count, errors, rate, p50/p95/p99/max, bytes; "
                + "file system by group, containers, obs's own drops and failures.")
final class MetricsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;
    @Mixin
    WindowOptions window;
    @Mixin
    ColorOption color;

    @Option(names = "--service", paramLabel = "NAME", description = "Only this service (service.name)")
    String service;

    @Option(names = "--family", paramLabel = "FAMILY",
            description = "Only this family: git, fs, docker, process, methods, sync, obs")
    String family;

    @Option(names = "--operation", paramLabel = "GLOB", description = "Only operations matching, e.g. 'git *'")
    String operation;

    @Option(names = "--json", description = "JSON instead of a table")
    boolean json;

    @Option(names = "--watch", arity = "0..1", fallbackValue = "2s", paramLabel = "INTERVAL",
            description = "Redraw in place every INTERVAL (default 2s) as new data arrives; Ctrl-C ends")
    String watch;

    @Option(names = "--url", paramLabel = "URL",
            description = "Ask a running agent (-Dobs.http.port) instead of the store, e.g. " + LiveAgent.DEFAULT_URL)
    String url;

    @Override
    public Integer call() throws Exception {
        if (family != null && !StoreFamilies.NAMES.contains(family)) {
            throw CliError.usage("--family '" + family + "' is not one of " + String.join(", ", StoreFamilies.NAMES));
        }
        Duration interval = watch == null ? null : parseInterval(watch);
        if (url != null && (window.since != null || window.until != null)) {
            throw CliError.usage("--url shows a running agent since its start: --since/--until read the store");
        }
        return showOrWatch(color.terminal(), interval, () -> url != null ? System.nanoTime() : storeState(store),
                this::show);
    }

    /** What a command shows: once, or again in place ({@code redraw}) under {@code --watch}. */
    interface Screen {
        void show(Terminal t, boolean redraw) throws Exception;
    }

    /**
     * Shows the screen once when {@code interval} is null; else every {@code interval} redraws it whenever
     * {@code change} gives a new value (the store grew), until the user ends the command.
     */
    static int showOrWatch(Terminal t, Duration interval, java.util.function.LongSupplier change, Screen screen)
            throws Exception {
        if (interval == null) {
            screen.show(t, false);
            return 0;
        }
        long lastChange = -1;
        while (true) {
            long now = change.getAsLong();
            if (now != lastChange) {
                lastChange = now;
                screen.show(t, true);
            }
            Thread.sleep(interval.toMillis());
        }
    }

    /**
     * Prints {@code lines}; a redraw ({@code --watch}) on a terminal overwrites the screen from its top line by
     * line and clears what is left below, so the terminal's scrollback does not fill with old tables, and ends
     * with a line saying what is watched.
     */
    static void print(Terminal t, List<String> lines, boolean redraw, String watch) {
        boolean inPlace = redraw && t.interactive;
        String endOfLine = inPlace ? "\u001b[K\n" : "\n";
        StringBuilder sb = new StringBuilder();
        if (inPlace) {
            sb.append("\u001b[H");
        }
        for (String l : lines) {
            sb.append(l.stripTrailing()).append(endOfLine);
        }
        if (redraw) {
            sb.append(t.paint(Terminal.DIM, "watching every " + watch + " · Ctrl-C ends")).append(endOfLine);
        }
        if (inPlace) {
            sb.append("\u001b[J");
        }
        t.out.print(sb);
        t.out.flush();
    }

    private void show(Terminal t, boolean redraw) throws Exception {
        MetricsSummary view;
        StoreReader reader = null;
        if (url != null) {
            MetricsWindow w = MetricsWindow.ofSnapshot(LiveAgent.metrics(url));
            view = MetricsSummary.of(w, service, family, operation, 0, url);
        } else {
            reader = store.open();
            Instant now = Instant.now();
            TimeWindow tw = window.window(now);
            MetricsWindow w = reader.metrics(tw, now.getEpochSecond() * 1_000_000_000L + now.getNano());
            view = MetricsSummary.of(w, service, family, operation, reader.notes().damagedLines(),
                    reader.dir().toString());
        }
        if (json) {
            MetricsJson.write(view, t.out);
        } else {
            print(t, MetricsText.lines(view, t), redraw, watch);
        }
        if (reader != null && reader.notes().damagedNote() != null) {
            System.err.println(reader.notes().damagedNote());
        }
    }

    /** Changes whenever a store file is added, grows or is rotated away. */
    static long storeState(StoreOption store) {
        try {
            long h = 17;
            for (StoreFile f : store.open().files()) {
                h = h * 31 + f.path().hashCode();
                h = h * 31 + f.size();
            }
            return h;
        } catch (CliError e) {
            return 0;
        }
    }

    static Duration parseInterval(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))), text);
            }
            if (t.endsWith("s")) {
                return positive(Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000)),
                        text);
            }
            if (t.endsWith("m")) {
                return positive(Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1))), text);
            }
            return positive(Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000)), text);
        } catch (NumberFormatException e) {
            throw CliError.usage("--watch '" + text + "' is not an interval: use 2s, 500ms or 1m");
        }
    }

    private static Duration positive(Duration d, String text) {
        if (d.toMillis() < 100) {
            throw CliError.usage("--watch '" + text + "' is too short: at least 100ms");
        }
        return d;
    }
}
