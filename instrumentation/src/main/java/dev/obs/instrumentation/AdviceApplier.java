package dev.obs.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Receives the advice a {@link TypeInstrumentation} weaves into a matched type. */
public interface AdviceApplier {
    /**
     * Weaves the advice class {@code adviceClassName} (binary name) around the methods matching
     * {@code methods}.
     */
    default void applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
        applyAdvice(methods, adviceClassName, adviceClassName);
    }

    /**
     * Weaves the enter advice of {@code enterAdviceClassName} and the exit advice of
     * {@code exitAdviceClassName}, so instrumentations can share one entry and differ in what they read at
     * the end.
     */
    void applyAdvice(ElementMatcher<? super MethodDescription> methods, String enterAdviceClassName,
                     String exitAdviceClassName);
}
