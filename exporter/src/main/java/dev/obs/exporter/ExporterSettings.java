package dev.obs.exporter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Everything the exporter needs, already parsed and validated by the agent's configuration.
 *
 * @param exporters          any of {@code otlp}, {@code file}, {@code console}; empty exports nothing
 * @param tracesEndpoint     full OTLP traces URL (for grpc: the collector base URL)
 * @param metricsEndpoint    full OTLP metrics URL (for grpc: the collector base URL)
 * @param protocol           {@code http/protobuf} or {@code grpc}
 * @param headers            OTLP request headers (values are secrets: never logged or exported)
 * @param compression        {@code none} or {@code gzip}
 */
public record ExporterSettings(
        String serviceName,
        Map<String, String> resourceAttributes,
        Set<String> exporters,
        String tracesEndpoint,
        String metricsEndpoint,
        String protocol,
        Map<String, String> headers,
        Duration otlpTimeout,
        String compression,
        Duration metricExportInterval,
        Path storeDir,
        long storeMaxFileBytes,
        long storeMaxTotalBytes,
        boolean summary,
        int queueCapacity,
        int spanBatchSize,
        Duration spanExportInterval,
        Duration shutdownTimeout) {
}
