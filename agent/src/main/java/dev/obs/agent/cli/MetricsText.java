package dev.obs.agent.cli;

import dev.obs.exporter.docker.ContainerStoreView;
import dev.obs.exporter.fs.FsStoreFamily;
import dev.obs.exporter.store.MetricsSummary;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SelfHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text form of {@code obs metrics}: fits the terminal's width, long names cut with '…'. */
final class MetricsText {
    private static final String[] HEADS = {"COUNT", "ERR", "RATE", "P50", "P95", "P99", "MAX", "BYTES"};
    private static final int[] WIDTHS = {6, 4, 7, 6, 6, 6, 6, 6};

    private MetricsText() {
    }

    static List<String> lines(MetricsSummary v, Terminal t) {
        List<String> out = new ArrayList<>();
        int width = Math.max(60, t.width);
        String services = v.services().isEmpty() ? "no process wrote in this window"
                : v.window().processes() + (v.window().processes() == 1 ? " process" : " processes")
                        + " · " + String.join(", ", v.services());
        out.add(Fmt.fit(t.paint(Terminal.BOLD, "obs metrics") + "  " + Fmt.time(v.window().startNanos()) + " → "
                + Fmt.time(v.window().endNanos()) + " (" + Fmt.seconds(v.window().seconds()) + ")", width
                + (t.color ? Terminal.BOLD.length() + Terminal.RESET.length() : 0)));
        out.add(Fmt.fit(v.source() + " · " + services, width));
        if (!v.operations().isEmpty()) {
            out.add("");
            int fixed = 0;
            for (int w : WIDTHS) {
                fixed += w + 1;
            }
            int opWidth = Math.max(10, width - fixed);
            StringBuilder head = new StringBuilder(Fmt.padRight("OPERATION", opWidth));
            for (int i = 0; i < HEADS.length; i++) {
                head.append(' ').append(Fmt.padLeft(HEADS[i], WIDTHS[i]));
            }
            out.add(t.paint(Terminal.BOLD, head.toString()));
            String family = null;
            boolean sampled = false;
            for (OperationRow r : v.operations()) {
                if (!r.family().equals(family)) {
                    family = r.family();
                    out.add(t.paint(Terminal.CYAN, family));
                }
                sampled |= r.latencySampled() && r.latency() != null;
                String[] cells = {Fmt.count(r.count()), Fmt.count(r.errors()), Fmt.rate(r.ratePerSecond()),
                        Fmt.seconds(r.p50Seconds()), Fmt.seconds(r.p95Seconds()), Fmt.seconds(r.p99Seconds()),
                        Fmt.seconds(r.maxSeconds()), r.bytes() < 0 ? "" : Fmt.bytes(r.bytes())};
                StringBuilder line = new StringBuilder(Fmt.padRight(Fmt.fit("  " + r.operation(), opWidth), opWidth));
                for (int i = 0; i < cells.length; i++) {
                    String cell = Fmt.padLeft(Fmt.fit(cells[i], WIDTHS[i]), WIDTHS[i]);
                    if (i == 1 && r.errors() > 0) {
                        cell = t.paint(Terminal.RED, cell);
                    }
                    line.append(' ').append(cell);
                }
                out.add(line.toString());
            }
            out.add(t.paint(Terminal.DIM, Fmt.fit("percentiles from the exported histogram buckets (exact to a bucket"
                    + "'s width)", width)));
            if (sampled) {
                out.add(t.paint(Terminal.DIM, Fmt.fit("fs latency from a sample of about 1 call in 64; counts and "
                        + "bytes exact", width)));
            }
        } else if (v.family() == null || !v.family().equals("obs")) {
            out.add("");
            out.add("no operations in this window");
        }
        if (!v.fsGroups().isEmpty()) {
            out.add("");
            int gw = Math.max(10, width - 3 * 11);
            out.add(t.paint(Terminal.BOLD, Fmt.padRight("FILE GROUP", gw) + Fmt.padLeft("OPERATIONS", 11)
                    + Fmt.padLeft("READ", 11) + Fmt.padLeft("WRITTEN", 11)));
            for (FsStoreFamily.GroupRow g : v.fsGroups()) {
                out.add(Fmt.padRight(Fmt.fit(g.group(), gw), gw) + Fmt.padLeft(Fmt.count(g.operations()), 11)
                        + Fmt.padLeft(Fmt.bytes(g.readBytes()), 11) + Fmt.padLeft(Fmt.bytes(g.writeBytes()), 11));
            }
        }
        if (!v.containers().isEmpty()) {
            out.add("");
            int cw = Math.max(10, width - 4 * 10);
            out.add(t.paint(Terminal.BOLD, Fmt.padRight("CONTAINER", cw) + Fmt.padLeft("CPU", 10)
                    + Fmt.padLeft("CORES", 10) + Fmt.padLeft("MEMORY", 10) + Fmt.padLeft("LIMIT", 10)));
            for (ContainerStoreView.ContainerRow c : v.containers()) {
                out.add(Fmt.padRight(Fmt.fit(c.name(), cw), cw) + Fmt.padLeft(Fmt.seconds(c.cpuSeconds()), 10)
                        + Fmt.padLeft(Double.isNaN(c.cpuCores()) ? "-" : String.format(java.util.Locale.ROOT, "%.2f",
                        c.cpuCores()), 10) + Fmt.padLeft(Fmt.bytes(c.memoryBytes()), 10)
                        + Fmt.padLeft(c.memoryLimitBytes() <= 0 || c.memoryLimitBytes() > (1L << 60) ? "-"
                        : Fmt.bytes(c.memoryLimitBytes()), 10));
            }
        }
        SelfHealth s = v.self();
        if (s != null) {
            out.add("");
            long accepted = sum(s.accepted());
            long exported = sum(s.exported());
            String line = "obs: " + Fmt.count(accepted) + " records, " + Fmt.count(exported) + " exported, "
                    + Fmt.count(s.totalDropped()) + " dropped, " + Fmt.count(s.tracesShed()) + " traces shed, "
                    + Fmt.count(s.totalFailures()) + " failed exports";
            boolean trouble = s.totalDropped() > 0 || s.totalFailures() > 0 || s.tracesShed() > 0;
            out.add(Fmt.fit(trouble ? t.paint(Terminal.YELLOW, line) : line, width + (trouble && t.color ? 9 : 0)));
            s.dropped().forEach((k, n) -> {
                if (n > 0) {
                    out.add(Fmt.fit("  dropped " + k + ": " + n, width));
                }
            });
            s.exportFailures().forEach((k, n) -> {
                if (n > 0) {
                    out.add(Fmt.fit("  failed exports " + k + ": " + n, width));
                }
            });
        }
        return out;
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
