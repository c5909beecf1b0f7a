package dev.obs.instrumentation.otel;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.obs.bootstrap.otel.OtelBridge;
import dev.obs.exporter.otel.OtelContexts;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code io.opentelemetry.context.Context.current()}, the application's copy and the OpenTelemetry agent's
 * relocated one in the bootstrap loader: its first call tells obs which OpenTelemetry API to read. The
 * name filter is {@code *Context} in that package, so only {@code Context} and {@code ArrayBasedContext}
 * reach the weaver; a program without OpenTelemetry never gets here.
 */
final class OtelContextInstrumentation implements TypeInstrumentation {
    // written with bars: see OtelContexts.otelName (the shade plugin would relocate them otherwise)
    static final String PACKAGE = OtelContexts.otelName("io|opentelemetry|context|");
    static final String AGENT_PACKAGE = OtelContexts.otelName("io|opentelemetry|javaagent|shaded|") + PACKAGE;

    @Override
    public List<String> typeNamePrefixes() {
        return List.of(PACKAGE + "*Context", AGENT_PACKAGE + "*Context");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** After {@code Context.current()}: a volatile read and a comparison once the class is known. */
    @SuppressWarnings("unused")
    public static final class CurrentAdvice {
        private CurrentAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        public static void exit(@Advice.Origin Class<?> contextClass) {
            OtelBridge.contextInUse(contextClass);
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return named(PACKAGE + "Context").or(named(AGENT_PACKAGE + "Context"));
        }

        void transform(AdviceApplier applier) {
            applier.applyAdvice(named("current").and(isStatic()).and(takesArguments(0)),
                    OtelContextInstrumentation.class.getName() + "$CurrentAdvice");
        }
    }
}
