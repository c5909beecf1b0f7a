package dev.obs.bootstrap;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The invokedynamic bootstrap of library families' advice (JGit, docker-java, ...). Their advice is not
 * copied into the library's classes: the woven method calls the advice method through
 * {@code invokedynamic}, and the first call of each call site asks the agent (through the
 * {@link HelperLinker} it installed at start) for the advice class as defined in a helper class loader whose
 * parent is the library's class loader. The advice and the helpers it calls are therefore typed against the
 * library, and live in the agent's jar rather than here: only this class must be in the boot loader, where
 * every woven class can resolve it.
 *
 * <p>A call site is linked once (a {@link ConstantCallSite}); the JIT inlines through it like a static call.
 * When the agent cannot link it (no linker, a helper that does not load), the call site gets a method doing
 * nothing and returning the default value: the advice is off, the library's method runs unchanged.
 */
public final class HelperDispatch {
    /** Finds the advice method as defined next to the library that calls it. */
    public interface HelperLinker {
        /**
         * @param caller      the woven library class
         * @param adviceClass the advice class's binary name
         * @param method      the advice method's name
         * @param type        its type, as the woven class resolves it
         */
        MethodHandle link(Class<?> caller, String adviceClass, String method, MethodType type) throws Throwable;
    }

    private static volatile HelperLinker linker;

    private HelperDispatch() {
    }

    /** Installed once by the agent before it weaves anything. */
    public static void install(HelperLinker helperLinker) {
        linker = helperLinker;
    }

    /**
     * The bootstrap method named by the woven {@code invokedynamic}; never throws.
     *
     * @param method      the advice method's name (the call site's name)
     * @param type        the advice method's type (the call site's type)
     * @param adviceClass the advice class's binary name (the one static argument)
     */
    public static CallSite bootstrap(MethodHandles.Lookup caller, String method, MethodType type, String adviceClass) {
        MethodHandle target = null;
        HelperLinker l = linker;
        if (l != null) {
            boolean wasSuppressed = Recorder.beginObsWork(); // reading helper classes from obs.jar is obs's I/O
            try {
                target = l.link(caller.lookupClass(), adviceClass, method, type);
            } catch (Throwable t) {
                target = null;
            } finally {
                Recorder.endObsWork(wasSuppressed);
            }
        }
        if (target == null || !target.type().equals(type)) {
            target = MethodHandles.empty(type);
        }
        return new ConstantCallSite(target);
    }
}
