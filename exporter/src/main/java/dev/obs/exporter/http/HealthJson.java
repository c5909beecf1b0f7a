package dev.obs.exporter.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/** The JSON bodies of {@code /health*} and {@code /info} (their shapes: README, "Live endpoints"). */
final class HealthJson {
    static final String CONTENT_TYPE = "application/json";
    private static final JsonFactory JSON = new JsonFactory();

    private HealthJson() {
    }

    static byte[] live(boolean alive) {
        return write(g -> g.writeStringField("status", alive ? "UP" : "DOWN"));
    }

    static byte[] ready(boolean ready) {
        return write(g -> {
            g.writeStringField("status", ready ? "UP" : "DOWN");
            g.writeBooleanField("ready", ready);
        });
    }

    static byte[] health(LiveEndpoints live, long now) {
        boolean alive = live.exporterAlive();
        boolean ready = live.ready(now);
        return write(g -> {
            g.writeStringField("status", alive && ready ? "UP" : "DOWN");
            g.writeBooleanField("ready", ready);
            g.writeStringField("time", Instant.ofEpochMilli(now).toString());
            g.writeStringField("startTime", Instant.ofEpochMilli(live.startMillis).toString());
            g.writeNumberField("failureWindowSeconds", live.settings.failureWindow().toMillis() / 1000.0);
            g.writeObjectFieldStart("components");

            g.writeObjectFieldStart("weaver");
            g.writeStringField("status", "UP");
            families(g, live);
            g.writeEndObject();

            g.writeObjectFieldStart("exporter");
            g.writeStringField("status", alive ? "UP" : "DOWN");
            g.writeNumberField("queueDepth", live.queueDepth());
            g.writeNumberField("queueCapacity", live.queueCapacity());
            g.writeNumberField("dropsLastMinute", live.exporterDrops.lastMinute(now));
            g.writeNumberField("dropsTotal", live.dropsTotal);
            g.writeEndObject();

            g.writeObjectFieldStart("destinations");
            for (DestinationHealth d : live.destinations) {
                g.writeObjectFieldStart(d.name());
                g.writeStringField("status", live.status(d, now));
                instant(g, "lastSuccess", d.lastSuccessMillis());
                g.writeStringField("lastError", d.lastError());
                instant(g, "lastErrorTime", d.lastErrorMillis());
                g.writeNumberField("consecutiveFailures", d.consecutiveFailures());
                instant(g, "failingSince", d.failingSinceMillis());
                g.writeNumberField("queueDepth", d.inFlight());
                g.writeNumberField("queueCapacity", d.inFlightCapacity());
                g.writeNumberField("dropsLastMinute", d.dropsLastMinute(now));
                g.writeEndObject();
            }
            g.writeEndObject();

            g.writeEndObject();
        });
    }

    static byte[] info(LiveEndpoints live) {
        return write(g -> {
            g.writeStringField("version", live.settings.version());
            g.writeNumberField("pid", ProcessHandle.current().pid());
            g.writeStringField("startTime", Instant.ofEpochMilli(live.startMillis).toString());
            families(g, live);
            g.writeObjectFieldStart("configuration");
            for (Map.Entry<String, String> e : live.settings.configuration().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        });
    }

    private static void families(JsonGenerator g, LiveEndpoints live) throws IOException {
        g.writeArrayFieldStart("families");
        for (String f : live.settings.families()) {
            g.writeString(f);
        }
        g.writeEndArray();
    }

    private static void instant(JsonGenerator g, String field, long epochMillis) throws IOException {
        if (epochMillis == 0) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Instant.ofEpochMilli(epochMillis).toString());
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
