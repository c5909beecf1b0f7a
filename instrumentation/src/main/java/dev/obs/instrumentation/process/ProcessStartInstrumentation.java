package dev.obs.instrumentation.process;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.RETURN;
import static dev.obs.instrumentation.JavaBaseHook.Value.THIS;
import static dev.obs.instrumentation.JavaBaseHook.Value.THROWN;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.util.List;

/**
 * {@code ProcessBuilder.start()}, which {@code Runtime.exec} also goes through: one place sees every
 * subprocess the program starts. It is in java.base, woven before premain returns, and calls
 * {@link dev.obs.bootstrap.process.ProcessHooks} only.
 */
final class ProcessStartInstrumentation {
    private static final String HOOKS = "dev/obs/bootstrap/process/ProcessHooks";
    private static final String RUN = "Ljava/lang/Object;";

    private ProcessStartInstrumentation() {
    }

    static List<JavaBaseHook> hooks() {
        Call start = new Call(HOOKS, "start", "(Ljava/lang/ProcessBuilder;)" + RUN, THIS);
        Call started = new Call(HOOKS, "started", "(" + RUN + "Ljava/lang/Process;Ljava/lang/Throwable;)V",
                ENTER, RETURN, THROWN);
        return List.of(new JavaBaseHook("java.lang.ProcessBuilder", List.of("start"), "()", null, 0, start, started,
                true));
    }
}
