package dev.obs.instrumentation.process;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.ProcessRecorder;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ProcessBuilder.start()}, which {@code Runtime.exec} also goes through: one place sees every
 * subprocess the program starts. The advice lives in java.base, so it calls bootstrap classes only.
 */
public final class ProcessStartInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of("java.lang.ProcessBuilder");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.ProcessBuilder");
    }

    @Override
    public void transform(AdviceApplier applier) {
        applier.applyAdvice(named("start").and(takesArguments(0)),
                ProcessStartInstrumentation.class.getName() + "$StartAdvice");
    }

    @SuppressWarnings("unused")
    public static final class StartAdvice {
        private StartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ObsSpan enter(@Advice.This ProcessBuilder builder) {
            return ProcessRecorder.beforeStart(builder);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Return Process process,
                                @Advice.Thrown Throwable thrown) {
            ProcessRecorder.afterStart(span, process, thrown);
        }
    }
}
