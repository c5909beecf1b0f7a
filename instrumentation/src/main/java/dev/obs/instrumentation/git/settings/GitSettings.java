package dev.obs.instrumentation.git.settings;

/**
 * The git family's settings, one per JVM: outside the family's helper package, so every helper loader's
 * {@code GitRecorder} reads this one class through the agent's class loader.
 */
public final class GitSettings {
    private static volatile boolean captureConflictPaths;

    private GitSettings() {
    }

    /** Whether conflicting paths are recorded ({@code obs.git.capture.paths}); set once at start. */
    public static void configure(boolean captureConflictPathsEnabled) {
        captureConflictPaths = captureConflictPathsEnabled;
    }

    public static boolean captureConflictPaths() {
        return captureConflictPaths;
    }
}
