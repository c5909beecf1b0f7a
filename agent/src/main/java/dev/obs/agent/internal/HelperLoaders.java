package dev.obs.agent.internal;

import dev.obs.bootstrap.HelperDispatch;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Links library families' advice call sites ({@link HelperDispatch}): the advice class named by the call
 * site is loaded in the {@link HelperClassLoader} of its family for the calling class's loader, made on
 * first use.
 *
 * <p>Memory: a library class loader is a weak key; its helper loaders are held weakly here and strongly
 * by the call sites linked to them, so they live as long as a linked library class does and never keep a
 * library's loader alive. A helper loader no call site holds any more may be made again on a later link;
 * its classes' state went with the call sites that used it.
 */
final class HelperLoaders implements HelperDispatch.HelperLinker {
    private final ClassLoader agentLoader;
    /** Library loader (null key: the boot loader) → family package → helper loader. */
    private final Map<ClassLoader, Map<String, WeakReference<HelperClassLoader>>> loaders = new WeakHashMap<>();
    private final Map<String, WeakReference<HelperClassLoader>> forBootLoader = new HashMap<>();

    HelperLoaders(ClassLoader agentLoader) {
        this.agentLoader = agentLoader;
    }

    @Override
    public MethodHandle link(Class<?> caller, String adviceClass, String method, MethodType type)
            throws ReflectiveOperationException {
        Class<?> advice = Class.forName(adviceClass, true, loaderFor(caller.getClassLoader(), packageOf(adviceClass)));
        return MethodHandles.publicLookup().findStatic(advice, method, type);
    }

    /** The helper loader of {@code helperPackage} next to {@code library}, made when there is none. */
    synchronized HelperClassLoader loaderFor(ClassLoader library, String helperPackage) {
        Map<String, WeakReference<HelperClassLoader>> byPackage = library == null ? forBootLoader
                : loaders.computeIfAbsent(library, k -> new HashMap<>());
        WeakReference<HelperClassLoader> ref = byPackage.get(helperPackage);
        HelperClassLoader loader = ref == null ? null : ref.get();
        if (loader == null) {
            loader = new HelperClassLoader(library, helperPackage, agentLoader);
            byPackage.put(helperPackage, new WeakReference<>(loader));
        }
        return loader;
    }

    /** {@code a.b.C$D} → {@code a.b.} */
    static String packageOf(String binaryName) {
        return binaryName.substring(0, binaryName.lastIndexOf('.') + 1);
    }
}
