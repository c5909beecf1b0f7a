package dev.obs.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumented type (or family of types): which types to match and which advice to weave into which
 * of their methods. Advice is named by class name only, so the agent's class loader never loads it. Inlined
 * advice (the default) is copied into the target and may reference only bootstrap classes; advice marked
 * {@code inline = false} (library families) is called through {@code invokedynamic} and runs in a helper
 * class loader next to the library, so it and the helpers of its package may use the library's types
 * (see {@code dev.obs.bootstrap.HelperDispatch}).
 *
 * <p>Instances are created at premain, where Byte Buddy must not be touched (a JVM whose classes all come
 * from the weave cache never loads it): constructors keep plain values, and matchers are built in
 * {@link #typeMatcher()} and {@link #transform}, which only the weaving engine calls. Their code lives in a
 * nested class that only they use ({@code Matching}): the JVM verifies an implementation when premain creates
 * it, and verifying code that passes a matcher where an {@code ElementMatcher} is expected loads that
 * interface, and with it obs.jar's inner Byte Buddy jar.
 */
public interface TypeInstrumentation {
    /**
     * Binary-name prefixes (dots) that every type this instrumentation matches starts with: a cheap
     * filter applied to each class load before Byte Buddy is consulted (an exact class name is its own
     * prefix). {@code prefix*suffix} narrows a prefix to simple names ending in {@code suffix} directly in
     * that package ({@code org.eclipse.jgit.api.*Command}).
     */
    java.util.List<String> typeNamePrefixes();

    /** Types this instrumentation applies to. Prefer name-based matchers: they need no class parsing. */
    ElementMatcher<TypeDescription> typeMatcher();

    /** Declares the advice for a matched type. */
    void transform(AdviceApplier applier);

    /**
     * Whatever of the configuration changes how this instrumentation weaves (for example the methods a
     * pointcut names), as text: part of the weave cache's key with obs.jar itself, so a change of it is
     * never answered with classes woven under the old one. Empty when only code decides.
     */
    default String configurationKey() {
        return "";
    }
}
