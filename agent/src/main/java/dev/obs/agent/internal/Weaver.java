package dev.obs.agent.internal;

import dev.obs.instrumentation.TypeInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * The one transformer obs registers. Each class load is first checked against the instrumentations'
 * name prefixes, a few {@code startsWith} calls; only a candidate reaches Byte Buddy, which is built on
 * the first candidate. Loading and initialising Byte Buddy costs hundreds of milliseconds on a cold JVM,
 * so a program that never loads an instrumented type never pays it.
 *
 * <p>Advice is inlined without changing the class format, so loaded classes can be retransformed;
 * advice types are described from their class files (by name), never loaded here.
 */
final class Weaver implements ClassFileTransformer {
    private final List<TypeInstrumentation> instrumentations;
    /** Prefixes in internal form ({@code com/acme/Repo}), compared with the JVM's class names as given. */
    private final String[] internalPrefixes;
    private final String[] binaryPrefixes;
    private volatile Engine engine;

    private Weaver(List<TypeInstrumentation> instrumentations) {
        this.instrumentations = instrumentations;
        Set<String> prefixes = new LinkedHashSet<>();
        for (TypeInstrumentation ti : instrumentations) {
            prefixes.addAll(ti.typeNamePrefixes());
        }
        this.binaryPrefixes = prefixes.toArray(new String[0]);
        this.internalPrefixes = new String[binaryPrefixes.length];
        for (int i = 0; i < binaryPrefixes.length; i++) {
            internalPrefixes[i] = binaryPrefixes[i].replace('.', '/');
        }
    }

    /** Registers the transformer and retransforms candidate classes that are already loaded. */
    static void install(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        Weaver weaver = new Weaver(instrumentations);
        inst.addTransformer(weaver, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (weaver.isLoadedCandidate(c.getName()) && inst.isModifiableClass(c)) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            try {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                System.err.println("obs: could not instrument already loaded classes " + loaded + ": " + e);
            }
        }
    }

    /** The same test on a binary name ({@code com.acme.Repo}), without converting it. */
    boolean isLoadedCandidate(String binaryName) {
        for (String p : binaryPrefixes) {
            if (binaryName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    boolean isCandidate(String internalName) {
        if (internalName == null) {
            return false;
        }
        for (String p : internalPrefixes) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) {
        if (!isCandidate(className)) {
            return null;
        }
        try {
            return engine().weave(loader, className.replace('/', '.'), classfileBuffer);
        } catch (Throwable t) {
            // Never let a weaving problem reach the class being loaded: it loads unchanged.
            return null;
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, domain, classfileBuffer);
    }

    private Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = engine = new Engine(instrumentations);
                }
            }
        }
        return e;
    }

    /**
     * Byte Buddy's part, built on the first candidate class. It redefines the class from the bytes the JVM
     * hands over, inlining advice into the matching methods; nothing is injected and no class is loaded
     * (Byte Buddy's AgentBuilder is not used: its set-up alone touches {@code sun.misc.Unsafe}, which makes
     * JDK 24+ print a warning on the application's stderr).
     */
    private static final class Engine {
        private final List<TypeInstrumentation> instrumentations;
        private final ClassFileLocator adviceLocator;
        private final TypePool advicePool;
        private final ByteBuddy byteBuddy = new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
        private final Map<String, Advice> advice = new ConcurrentHashMap<>();

        Engine(List<TypeInstrumentation> instrumentations) {
            this.instrumentations = instrumentations;
            this.adviceLocator = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
            this.advicePool = TypePool.Default.of(adviceLocator);
        }

        /** The woven class file, or null when no instrumentation matches the type. */
        byte[] weave(ClassLoader loader, String name, byte[] classFile) {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                    loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                            : ClassFileLocator.ForClassLoader.of(loader));
            TypeDescription type = TypePool.Default.WithLazyResolution.of(locator).describe(name).resolve();
            AsmVisitorWrapper.ForDeclaredMethods[] visitor = {new AsmVisitorWrapper.ForDeclaredMethods()};
            boolean matched = false;
            for (TypeInstrumentation ti : instrumentations) {
                if (ti.typeMatcher().matches(type)) {
                    matched = true;
                    ti.transform((methods, adviceClass) ->
                            visitor[0] = visitor[0].method(methods, advice.computeIfAbsent(adviceClass, this::load)));
                }
            }
            if (!matched) {
                return null;
            }
            return byteBuddy.redefine(type, locator).visit(visitor[0]).make().getBytes();
        }

        private Advice load(String adviceClass) {
            return Advice.to(advicePool.describe(adviceClass).resolve(), adviceLocator);
        }
    }
}
