package dev.obs.bootstrap.process;

import dev.obs.bootstrap.fs.FsHooks;

/**
 * The calls obs's java.base weaver puts at the entry and exits of {@code ProcessBuilder.start()}. Like
 * {@link FsHooks}, each catches every {@link Throwable}, so no failure of obs reaches the program. What a
 * start records lives in the agent's class loader ({@code dev.obs.instrumentation.process.ProcessRecorder}),
 * installed once by premain before {@code ProcessBuilder} is woven; until then a start records nothing.
 */
public final class ProcessHooks {
    /** What the process family does around a start. */
    public interface Starts {
        /** Before the process starts: what its {@link #afterStart} needs (opaque to the hooks), or null. */
        Object beforeStart(ProcessBuilder builder);

        /** After {@code start()} returned {@code process} or threw {@code error}; {@code run} is not null. */
        void afterStart(Object run, Process process, Throwable error);
    }

    private static volatile Starts starts;

    private ProcessHooks() {
    }

    /** Installs the process family's recorder (premain, once). */
    public static void install(Starts recorder) {
        starts = recorder;
    }

    /** Before the process starts: the recorder's record of this start, or null. */
    public static Object start(ProcessBuilder builder) {
        try {
            Starts s = starts;
            return s == null ? null : s.beforeStart(builder);
        } catch (Throwable t) {
            return null;
        }
    }

    /** After {@code start()} returned {@code process} or threw {@code thrown}. */
    public static void started(Object run, Process process, Throwable thrown) {
        try {
            if (run != null) {
                starts.afterStart(run, process, thrown);
            }
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }
}
