package dev.obs.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the classes of {@code dev.obs.bootstrap} directly in the bootstrap class loader, so advice
 * woven into any class (java.base included) can call them.
 *
 * <p>Why not {@code Instrumentation.appendToBootstrapClassLoaderSearch}: on a JVM with class data sharing
 * (the default) appending to the boot class path prints a VM warning on the application's stdout and
 * switches sharing off for every application and platform class, which costs tens of milliseconds of
 * start-up and changes the program's output. Defining the few bootstrap classes one by one costs
 * neither. The JDK's internal Unsafe is opened to this module only, through the Instrumentation API.
 */
final class BootstrapInjector {
    /** Written at build time: the class files of dev.obs.bootstrap, one path a line. */
    private static final String INDEX = "META-INF/obs-bootstrap-classes.txt";

    private BootstrapInjector() {
    }

    static void defineBootstrapClasses(Instrumentation inst, JarFile jar) throws Exception {
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc", Set.of(BootstrapInjector.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Listed listed = listed(jar);
        defineInRounds(listed.names, listed.bytes, new BootLoaderDefiner());
        // Advice woven into java.base (ProcessBuilder, file I/O) calls these classes, which live in the boot
        // loader's unnamed module: java.base must read it.
        Module bootstrapModule = Class.forName("dev.obs.bootstrap.Recorder", false, null).getModule();
        inst.redefineModule(javaBase, Set.of(bootstrapModule), Map.of(), Map.of(), Set.of(), Map.of());
    }

    /** The class files {@link #INDEX} lists: binary names and bytes, in the listed order. */
    static final class Listed {
        final List<String> names = new ArrayList<>();
        final List<byte[]> bytes = new ArrayList<>();
    }

    /** Reads the classes {@link #INDEX} lists from {@code jar}; a missing index or entry is an error naming it. */
    static Listed listed(JarFile jar) throws IOException {
        Listed out = new Listed();
        JarEntry index = jar.getJarEntry(INDEX);
        if (index == null) {
            throw new IllegalStateException(INDEX + " is missing from obs.jar");
        }
        String listing = new String(read(jar, index), StandardCharsets.UTF_8);
        for (int start = 0, end; start < listing.length(); start = end + 1) {
            end = listing.indexOf('\n', start);
            if (end < 0) {
                end = listing.length();
            }
            String path = listing.substring(start, end).trim();
            if (path.isEmpty()) {
                continue;
            }
            JarEntry e = jar.getJarEntry(path);
            if (e == null) {
                throw new IllegalStateException(path + " is listed but missing from obs.jar");
            }
            out.names.add(path.substring(0, path.length() - 6).replace('/', '.'));
            out.bytes.add(read(jar, e));
        }
        return out;
    }

    /** Defines one class in a loader; {@link #defineInRounds} decides what a failure means. */
    interface Definer {
        /** Throws what the JVM threw ({@link LinkageError}, or it wrapped in an {@link InvocationTargetException}). */
        void define(String name, byte[] code) throws Exception;

        boolean isDefined(String name);
    }

    /**
     * Defines every class with {@code definer}. A class can only be defined once its superclass and interfaces
     * exist in the loader: define what can be defined, then retry the rest, until a round makes no progress.
     * A class already there (the agent attached twice) counts as defined.
     */
    static void defineInRounds(List<String> names, List<byte[]> bytes, Definer definer) throws Exception {
        names = new ArrayList<>(names);
        bytes = new ArrayList<>(bytes);
        boolean progress = true;
        while (!names.isEmpty() && progress) {
            progress = false;
            Iterator<String> n = names.iterator();
            Iterator<byte[]> b = bytes.iterator();
            while (n.hasNext()) {
                String name = n.next();
                byte[] code = b.next();
                Throwable failure = null;
                try {
                    definer.define(name, code);
                } catch (InvocationTargetException ex) {
                    failure = ex.getCause();
                } catch (LinkageError ex) {
                    failure = ex;
                }
                if (failure instanceof NoClassDefFoundError) {
                    continue; // a superclass or interface not defined yet: next round
                }
                if (failure != null && !definer.isDefined(name)) {
                    throw new IllegalStateException(name + " could not be defined", failure);
                }
                // defined now, or already (the agent attached twice)
                n.remove();
                b.remove();
                progress = true;
            }
        }
        if (!names.isEmpty()) {
            throw new IllegalStateException("bootstrap classes could not be defined: " + names);
        }
    }

    /**
     * Defines into the boot loader. The first class of each package goes through the JDK's internal Unsafe;
     * the others of its package through a Lookup in it, which defines into the same loader without reflection
     * (past fifteen Method.invoke calls the JVM generates an accessor class, milliseconds of start-up, and the
     * first Class.forName of a missing class per name costs an exception each).
     */
    private static final class BootLoaderDefiner implements Definer {
        private final Object unsafe;
        /**
         * Unsafe.defineClass as a method handle, not a reflective Method: from JDK 18 the first Method.invoke
         * of a method spins a method-handle accessor for it, ~1 MB of start-up garbage on JDK 25 (measured
         * alone: 968 KB, against 212 KB for the handle; on JDK 17, 70 KB against 111 KB).
         */
        private final MethodHandle define;
        /** Package name: a Lookup in it, once one class of the package is defined. */
        private final java.util.HashMap<String, MethodHandles.Lookup> lookups = new java.util.HashMap<>();

        BootLoaderDefiner() throws ReflectiveOperationException {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            // exported to this module only (defineBootstrapClasses), so this class's own lookup reaches it
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle getUnsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass));
            try {
                this.unsafe = getUnsafe.invoke();
            } catch (Throwable t) { // a static getter: nothing to throw but an Error
                throw new InvocationTargetException(t);
            }
            this.define = lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class,
                    String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class));
        }

        @Override
        public void define(String name, byte[] code) throws Exception {
            String pkg = packageOf(name);
            MethodHandles.Lookup inPackage = lookups.get(pkg);
            if (inPackage != null) {
                inPackage.defineClass(code);
            } else {
                Class<?> defined;
                try {
                    defined = (Class<?>) define.invoke(unsafe, name, code, 0, code.length, (ClassLoader) null,
                            (ProtectionDomain) null);
                } catch (Exception | Error e) {
                    throw e; // what the JVM threw, unwrapped (a handle does not wrap it as Method.invoke did)
                } catch (Throwable t) {
                    throw new InvocationTargetException(t);
                }
                lookups.put(pkg, MethodHandles.privateLookupIn(defined, MethodHandles.lookup()));
            }
        }

        @Override
        public boolean isDefined(String name) {
            return BootstrapInjector.isDefined(name);
        }
    }

    private static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }

    /** True when the boot loader already has the class (the agent attached twice). */
    private static boolean isDefined(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static byte[] read(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return AgentClassLoader.readFully(in, e.getSize());
        }
    }
}
