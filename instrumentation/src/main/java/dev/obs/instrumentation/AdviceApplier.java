package dev.obs.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Receives the advice a {@link TypeInstrumentation} weaves into a matched type. */
public interface AdviceApplier {
    /**
     * Weaves the advice class {@code adviceClassName} (binary name) around the methods matching
     * {@code methods}.
     */
    void applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
