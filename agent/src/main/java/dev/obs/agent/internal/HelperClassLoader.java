package dev.obs.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.ProtectionDomain;

/**
 * Defines one family's helper classes (its advice and what the advice calls: every class of the family's
 * package, {@code dev.obs.instrumentation.docker} for example, not its subpackages) next to one library: its
 * parent is the class loader of the library class that calls them, so they link against that library's own
 * types. Other obs classes ({@code dev.obs.*}, subpackages of the family's included) resolve where every
 * helper loader shares them, through the agent's class loader (which finds {@code dev.obs.bootstrap} in the
 * boot loader). Anything else goes to the parent: no library class is ever under {@code dev.obs}.
 *
 * <p>One per library class loader and family ({@link HelperLoaders}); so a helper's static state is per
 * library copy, and state that must be one per JVM lives in the bootstrap or in the agent's loader.
 */
final class HelperClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    /** The family's package with its trailing dot. */
    private final String helperPackage;
    private final ClassLoader agentLoader;
    private final ProtectionDomain domain;

    HelperClassLoader(ClassLoader library, String helperPackage, ClassLoader agentLoader) {
        super("obs-helpers:" + helperPackage, library);
        this.helperPackage = helperPackage;
        this.agentLoader = agentLoader;
        this.domain = HelperClassLoader.class.getProtectionDomain();
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.obs.")) {
            return super.loadClass(name, resolve);
        }
        if (!name.startsWith(helperPackage) || name.indexOf('.', helperPackage.length()) >= 0) {
            return agentLoader.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = defineHelper(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> defineHelper(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = agentLoader.getResourceAsStream(path)) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }
}
