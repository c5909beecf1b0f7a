package dev.obs.bootstrap.process;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.fs.FsHooks;

/**
 * The calls obs's java.base weaver puts at the entry and exits of {@code ProcessBuilder.start()}. Like
 * {@link FsHooks}, each catches every {@link Throwable}, so no failure of obs reaches the program.
 */
public final class ProcessHooks {
    private ProcessHooks() {
    }

    /** Before the process starts: its span, or null. */
    public static ObsSpan start(ProcessBuilder builder) {
        try {
            return ProcessRecorder.beforeStart(builder);
        } catch (Throwable t) {
            return null;
        }
    }

    /** After {@code start()} returned {@code process} or threw {@code thrown}. */
    public static void started(ObsSpan span, Process process, Throwable thrown) {
        try {
            ProcessRecorder.afterStart(span, process, thrown);
        } catch (Throwable ignored) {
            // obs's failure, not the program's
        }
    }
}
