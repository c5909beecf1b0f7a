package dev.obs.exporter;

import dev.obs.bootstrap.ExactMetrics;
import dev.obs.bootstrap.fs.FsRecorder;

/**
 * Whether there is anything to export yet. The export session is opened only once there is: a program that
 * records nothing (a short tool, a Hello World) never pays for loading the SDK.
 */
final class ExportStartGate {
    private ExportStartGate() {
    }

    static boolean anyMetricRecorded() {
        return ExactMetrics.any() || anyApplicationFileIo();
    }

    /**
     * True once the application has done file I/O of its own: class loading ({@code jvm}) and console output
     * ({@code stdio}) alone do not start the exporter, so a program that records nothing else still never
     * loads the SDK.
     */
    private static boolean anyApplicationFileIo() {
        if (!FsRecorder.configured()) {
            return false;
        }
        return FsRecorder.collect(new long[FsRecorder.collectLength()]);
    }
}
