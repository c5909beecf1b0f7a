package dev.obs.exporter;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.List;

/**
 * A {@link MetricSource} that also has events to send as OTLP log records (the sync family's transitions
 * and errors). The pipeline takes them with each metric export, on the exporter thread, and sends them to
 * the OTLP and file destinations; the log exporters are built when the first events come.
 */
public interface LogSource {
    /** The events recorded since the last call, as log records. */
    List<LogRecordData> takeLogs(Resource resource, InstrumentationScopeInfo scope);
}
