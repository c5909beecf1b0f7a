package dev.obs.bootstrap;

import dev.obs.bootstrap.fs.FsGroups;
import dev.obs.bootstrap.fs.FsRecorder;

/**
 * Everything the agent configures in the boot loader, in one immutable object handed over once
 * ({@link #install}) before any class is woven. The recorders read it from {@link #current()} (a volatile
 * read, on paths that start a process or a span, never per file call: the fs recorder copies its part into
 * constants when it is configured). Before {@code install} the defaults hold, as in unit tests.
 */
public final class BootstrapSettings {
    private static volatile BootstrapSettings current = new BootstrapSettings(1.0,
            new String[] {"git", "docker", "podman"}, false, true, null, 0, 0);

    /** Fraction of traces sampled at their root, 0 to 1 (from {@code otel.traces.sampler}). */
    public final double sampleRatio;
    /** Executables (name without path or {@code .exe}) whose runs get spans ({@code obs.process.traced}). */
    private final String[] tracedExecutables;
    /** Whether git runs report their regions through trace2 ({@code obs.git.trace2}). */
    public final boolean gitTrace2;
    /** Whether traced subprocesses get TRACEPARENT ({@code obs.propagation.enabled}). */
    public final boolean propagation;
    /** The file-system groups, or null when the fs family is not installed. */
    public final FsGroups fsGroups;
    public final long fsSlowThresholdNanos;
    public final int fsSlowMaxPerSecond;

    public BootstrapSettings(double sampleRatio, String[] tracedExecutables, boolean gitTrace2, boolean propagation,
                             FsGroups fsGroups, long fsSlowThresholdNanos, int fsSlowMaxPerSecond) {
        this.sampleRatio = sampleRatio;
        this.tracedExecutables = tracedExecutables.clone();
        this.gitTrace2 = gitTrace2;
        this.propagation = propagation;
        this.fsGroups = fsGroups;
        this.fsSlowThresholdNanos = fsSlowThresholdNanos;
        this.fsSlowMaxPerSecond = fsSlowMaxPerSecond;
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
                && FsRecorder.configure(settings.fsGroups, settings.fsSlowThresholdNanos, settings.fsSlowMaxPerSecond);
    }

    public static BootstrapSettings current() {
        return current;
    }

    /** Whether runs of {@code executable} get spans. */
    public boolean traced(String executable) {
        for (String t : tracedExecutables) {
            if (t.equals(executable)) {
                return true;
            }
        }
        return false;
    }
}
