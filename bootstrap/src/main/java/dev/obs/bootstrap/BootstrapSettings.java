package dev.obs.bootstrap;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;

/**
 * Everything the agent configures in the boot loader, in one immutable object handed over once
 * ({@link #install}) before any class is woven (the fs recorder copies its part into constants then). What
 * only the agent's loader reads (traced executables, propagation, the slow-span rate) is configured there.
 * Before {@code install} the defaults hold, as in unit tests.
 */
public final class BootstrapSettings {
    private static volatile BootstrapSettings current = new BootstrapSettings(1.0, null, 0);

    /** Fraction of traces sampled at their root, 0 to 1 (from {@code otel.traces.sampler}). */
    public final double sampleRatio;
    /** The file-system groups, or null when the fs family is not installed. */
    public final FsGroups fsGroups;
    public final long fsSlowThresholdNanos;

    public BootstrapSettings(double sampleRatio, FsGroups fsGroups, long fsSlowThresholdNanos) {
        this.sampleRatio = sampleRatio;
        this.fsGroups = fsGroups;
        this.fsSlowThresholdNanos = fsSlowThresholdNanos;
    }

    /**
     * Makes {@code settings} the bootstrap's configuration; called once by the agent, before weaving.
     *
     * @return whether the file-system recorder is ready (false when {@code fsGroups} is null, or a
     *         {@code FileDescriptor}'s number cannot be read): the fs family is woven only then
     */
    public static boolean install(BootstrapSettings settings) {
        current = settings;
        Recorder.sampleRatio(settings.sampleRatio);
        return settings.fsGroups != null
                && FsRecorder.configure(settings.fsGroups, settings.fsSlowThresholdNanos);
    }

    public static BootstrapSettings current() {
        return current;
    }
}
