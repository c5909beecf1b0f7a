package dev.obs.agent.internal.dispatchhelpers;

import dev.obs.agent.internal.DispatchLog;
import com.acme.greeter.Greeter;
import net.bytebuddy.asm.Advice;

/** Dispatched advice typed against the "library" ({@link Greeter}): it runs in a helper loader next to it. */
public final class GreeterAdvice {
    private GreeterAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
    public static String enter(@Advice.This Greeter greeter, @Advice.Argument(0) String greeting) {
        if ("boom".equals(greeting)) {
            throw new IllegalStateException("advice failure");
        }
        DispatchLog.record("enter " + greeter.name() + " " + greeting, GreeterAdvice.class, Greeter.class);
        return "token-" + greeting;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
    public static void exit(@Advice.Enter String token, @Advice.Return String result, @Advice.Thrown Throwable thrown) {
        DispatchLog.record("exit " + token + " " + result + " " + (thrown == null ? "-" : thrown.getClass().getSimpleName()),
                GreeterAdvice.class, Greeter.class);
    }
}
