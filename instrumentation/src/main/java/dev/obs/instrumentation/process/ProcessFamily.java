package dev.obs.instrumentation.process;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * Subprocesses: spans for the executables configured in {@code obs.process.traced} (git, docker, podman by
 * default), a count by executable for all.
 */
public final class ProcessFamily implements InstrumentationFamily {
    /**
     * How long the exit waits, at most, for the spans of subprocesses that exited as the program did (their
     * spans end on the JDK's reaper thread).
     */
    private static final long EXITED_PROCESS_WAIT_NANOS = 200_000_000L;

    private final String[] tracedExecutables;
    private final boolean gitTrace2;

    public ProcessFamily(String[] tracedExecutables, boolean gitTrace2) {
        this.tracedExecutables = tracedExecutables;
        this.gitTrace2 = gitTrace2;
    }

    /** What the hooks woven into ProcessBuilder call, in the agent's loader. */
    @Override
    public void installRecorder() {
        dev.obs.bootstrap.process.ProcessHooks.install(new ProcessRecorder(tracedExecutables, gitTrace2));
    }

    @Override
    public void beforeLastExport() {
        ProcessRecorder.awaitExitedProcesses(EXITED_PROCESS_WAIT_NANOS);
    }
    @Override
    public String name() {
        return "process";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of();
    }

    @Override
    public List<JavaBaseHook> javaBaseHooks() {
        return ProcessStartInstrumentation.hooks();
    }
}
