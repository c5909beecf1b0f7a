package dev.obs.agent.cli;

import dev.obs.exporter.docker.ContainerStoreView;
import dev.obs.exporter.fs.FsStoreFamily;
import dev.obs.exporter.store.MetricsSummary;
import dev.obs.exporter.store.OperationRow;
import dev.obs.exporter.store.SelfHealth;
import java.io.IOException;
import java.io.OutputStream;

/** {@code obs metrics --json}: the shape is described in the README (and /work/coord/cli-api.md). */
final class MetricsJson {
    private MetricsJson() {
    }

    static void write(MetricsSummary v, OutputStream out) throws IOException {
        try (Json j = new Json(out)) {
            var g = j.g;
            g.writeStartObject();
            g.writeObjectFieldStart("window");
            g.writeStringField("start", Fmt.iso(v.window().startNanos()));
            g.writeStringField("end", Fmt.iso(v.window().endNanos()));
            j.number("seconds", v.window().seconds());
            g.writeEndObject();
            g.writeStringField("source", v.source());
            g.writeNumberField("processes", v.window().processes());
            g.writeArrayFieldStart("services");
            for (String s : v.services()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("operations");
            for (OperationRow r : v.operations()) {
                g.writeStartObject();
                g.writeStringField("family", r.family());
                g.writeStringField("operation", r.operation());
                g.writeNumberField("count", r.count());
                g.writeNumberField("errors", r.errors());
                j.number("ratePerSecond", r.ratePerSecond());
                j.number("p50Seconds", r.p50Seconds());
                j.number("p95Seconds", r.p95Seconds());
                j.number("p99Seconds", r.p99Seconds());
                j.number("maxSeconds", r.maxSeconds());
                if (r.bytes() >= 0) {
                    g.writeNumberField("bytes", r.bytes());
                } else {
                    g.writeNullField("bytes");
                }
                g.writeBooleanField("latencySampled", r.latencySampled());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("fsGroups");
            for (FsStoreFamily.GroupRow r : v.fsGroups()) {
                g.writeStartObject();
                g.writeStringField("group", r.group());
                g.writeNumberField("operations", r.operations());
                g.writeNumberField("readBytes", r.readBytes());
                g.writeNumberField("writeBytes", r.writeBytes());
                j.longs("operationsByType", r.operationsByType());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("containers");
            for (ContainerStoreView.ContainerRow c : v.containers()) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("service", c.service());
                j.number("cpuSeconds", c.cpuSeconds());
                j.number("cpuCores", c.cpuCores());
                g.writeNumberField("memoryBytes", c.memoryBytes());
                g.writeNumberField("memoryLimitBytes", c.memoryLimitBytes());
                g.writeNumberField("diskReadBytes", c.diskReadBytes());
                g.writeNumberField("diskWriteBytes", c.diskWriteBytes());
                g.writeNumberField("networkReceiveBytes", c.networkReceiveBytes());
                g.writeNumberField("networkTransmitBytes", c.networkTransmitBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            SelfHealth s = v.self();
            if (s != null) {
                g.writeObjectFieldStart("obs");
                j.longs("recordsAccepted", s.accepted());
                j.longs("recordsExported", s.exported());
                j.longs("recordsDropped", s.dropped());
                g.writeNumberField("tracesShed", s.tracesShed());
                j.longs("exportFailures", s.exportFailures());
                g.writeNumberField("queueDepthMax", s.queueDepthMax());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("notes");
            g.writeNumberField("damagedLines", v.damagedLines());
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }
}
