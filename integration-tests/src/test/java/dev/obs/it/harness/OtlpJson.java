package dev.obs.it.harness;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses OTLP/JSON (the OpenTelemetry Collector file-exporter and OTLP/HTTP-JSON format). OTLP/JSON writes
 * trace and span ids as hex, while protobuf's JsonFormat reads {@code bytes} fields as base64, so the id
 * fields are rewritten to base64 before parsing.
 */
public final class OtlpJson {
    private static final Pattern HEX_ID_FIELD =
            Pattern.compile("\"(traceId|spanId|parentSpanId)\"(\\s*:\\s*)\"([0-9a-fA-F]*)\"");

    private OtlpJson() {
    }

    public static ExportTraceServiceRequest parseTraces(String json) throws InvalidProtocolBufferException {
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        merge(json, builder);
        return builder.build();
    }

    public static ExportMetricsServiceRequest parseMetrics(String json) throws InvalidProtocolBufferException {
        ExportMetricsServiceRequest.Builder builder = ExportMetricsServiceRequest.newBuilder();
        merge(json, builder);
        return builder.build();
    }

    static String hexIdsToBase64(String json) {
        Matcher m = HEX_ID_FIELD.matcher(json);
        StringBuilder out = new StringBuilder(json.length());
        while (m.find()) {
            String hex = m.group(3);
            if (hex.length() % 2 != 0) {
                throw new IllegalArgumentException("odd-length hex id in " + m.group());
            }
            String base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
            m.appendReplacement(out, Matcher.quoteReplacement("\"" + m.group(1) + "\"" + m.group(2) + "\"" + base64 + "\""));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static void merge(String json, Message.Builder builder) throws InvalidProtocolBufferException {
        JsonFormat.parser().ignoringUnknownFields().merge(hexIdsToBase64(json), builder);
    }
}
