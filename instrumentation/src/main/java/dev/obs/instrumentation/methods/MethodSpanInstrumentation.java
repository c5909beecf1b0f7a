package dev.obs.instrumentation.methods;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A span around each call of the methods one {@link MethodPointcut} names. */
public final class MethodSpanInstrumentation implements TypeInstrumentation {
    private final MethodPointcut pointcut;

    public MethodSpanInstrumentation(MethodPointcut pointcut) {
        this.pointcut = pointcut;
    }

    @Override
    public java.util.List<String> typeNamePrefixes() {
        return java.util.List.of(pointcut.className());
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public String configurationKey() {
        // not the record's toString(): its invokedynamic bootstrap costs milliseconds at premain
        return pointcut.className() + pointcut.methods();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** Inlined into the traced method; the type and method names are constants woven in. */
    @SuppressWarnings("unused")
    public static final class MethodSpanAdvice {
        private MethodSpanAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static ObsSpan enter(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method) {
            return Recorder.startMethodSpan(type, method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Thrown Throwable thrown) {
            Recorder.endSpan(span, thrown);
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return named(pointcut.className());
        }

        void transform(AdviceApplier applier) {
            ElementMatcher.Junction<MethodDescription> methods =
                    isMethod().and(not(isAbstract())).and(not(isNative())).and(not(isSynthetic()));
            if (!pointcut.allMethods()) {
                methods = methods.and(namedOneOf(pointcut.methods().toArray(new String[0])));
            }
            applier.applyAdvice(methods, MethodSpanInstrumentation.class.getName() + "$MethodSpanAdvice");
        }
    }
}
