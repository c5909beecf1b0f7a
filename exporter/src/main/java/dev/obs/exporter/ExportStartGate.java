package dev.obs.exporter;


/**
 * Whether there is anything to export yet. The export session is opened only once there is: a program that
 * records nothing (a short tool, a Hello World) never pays for loading the SDK.
 */
final class ExportStartGate {
    private ExportStartGate() {
    }

    /** A value on the metric path, or something a family's metric sources would export ({@code sources}: null, none). */
    static boolean anyMetricRecorded(MetricSource.Factory sources) {
        return ExactMetrics.any() || sources != null && sources.anyRecorded();
    }
}
