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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import dev.obs.bootstrap.Recorder;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * The one transformer obs registers. Each class load is first checked against the instrumentations'
 * name prefixes, a few {@code startsWith} calls; only a candidate reaches Byte Buddy.
 *
 * <p>Byte Buddy costs hundreds of milliseconds of class loading and cold code before its first weave, so it
 * is warmed up on the daemon thread {@code obs-weaver}, started at premain, while the application starts
 * on the other threads. A candidate that loads before it is ready waits for it (so no call of an
 * instrumented method is missed); a program that loads no candidate in its first half second never waits.
 * Candidates loaded before premain (JDK classes) are retransformed once the engine is ready.
 *
 * <p>Advice is inlined without changing the class format, so loaded classes can be retransformed;
 * advice types are described from their class files (by name), never loaded here.
 */
final class Weaver implements ClassFileTransformer {
    private final Instrumentation inst;
    private final List<TypeInstrumentation> instrumentations;
    /** Prefixes in internal form ({@code com/acme/Repo}), compared with the JVM's class names as given. */
    private final String[] internalPrefixes;
    private final String[] binaryPrefixes;
    /** Null, or the suffix a {@code prefix*suffix} pattern requires of the simple name after the prefix. */
    private final String[] suffixes;
    /** Null until obs-weaver has built it; then every candidate is woven as it loads. */
    private volatile Engine engine;
    private final AtomicBoolean starting = new AtomicBoolean();
    private final CountDownLatch ready = new CountDownLatch(1);
    private volatile Thread weaverThread;
    /** Binary names of candidates that loaded before the engine was ready: retransformed once it is. */
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();

    private Weaver(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        this.inst = inst;
        this.instrumentations = instrumentations;
        Set<String> prefixes = new LinkedHashSet<>();
        for (TypeInstrumentation ti : instrumentations) {
            prefixes.addAll(ti.typeNamePrefixes());
        }
        int n = prefixes.size();
        this.binaryPrefixes = new String[n];
        this.internalPrefixes = new String[n];
        this.suffixes = new String[n];
        int i = 0;
        for (String pattern : prefixes) {
            // "org.eclipse.jgit.api.*Command": the prefix, then a simple name (no further package) ending so.
            int star = pattern.indexOf('*');
            binaryPrefixes[i] = star < 0 ? pattern : pattern.substring(0, star);
            suffixes[i] = star < 0 ? null : pattern.substring(star + 1);
            internalPrefixes[i] = binaryPrefixes[i].replace('.', '/');
            i++;
        }
    }

    /** Registers the transformer; candidates already loaded are woven once the engine is ready. */
    static void install(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        Weaver weaver = new Weaver(inst, instrumentations);
        inst.addTransformer(weaver, true);
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (weaver.isLoadedCandidate(c.getName())) {
                weaver.deferred.add(c.getName());
            }
        }
        weaver.startEngine();
    }

    /** The same test on a binary name ({@code com.acme.Repo}), without converting it. */
    boolean isLoadedCandidate(String binaryName) {
        for (int i = 0; i < binaryPrefixes.length; i++) {
            if (binaryName.startsWith(binaryPrefixes[i]) && suffixMatches(binaryName, i, '.')) {
                return true;
            }
        }
        return false;
    }

    boolean isCandidate(String internalName) {
        if (internalName == null) {
            return false;
        }
        for (int i = 0; i < internalPrefixes.length; i++) {
            if (internalName.startsWith(internalPrefixes[i]) && suffixMatches(internalName, i, '/')) {
                return true;
            }
        }
        return false;
    }

    private boolean suffixMatches(String name, int i, char separator) {
        String suffix = suffixes[i];
        return suffix == null
                || name.endsWith(suffix) && name.indexOf(separator, binaryPrefixes[i].length()) < 0;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) {
        if (!isCandidate(className)) {
            return null;
        }
        try {
            Engine e = engine;
            if (e == null) {
                e = awaitEngine();
            }
            if (e == null) {
                deferred.add(className.replace('/', '.'));
                return null;
            }
            return e.weave(loader, className.replace('/', '.'), classfileBuffer);
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

    /** Waits for obs-weaver; null on obs-weaver itself (it must not wait for itself) or after 30 s. */
    private Engine awaitEngine() throws InterruptedException {
        if (Thread.currentThread() == weaverThread) {
            return null;
        }
        ready.await(30, TimeUnit.SECONDS);
        return engine;
    }

    private void startEngine() {
        if (!starting.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread("obs-weaver") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                try {
                    try {
                        engine = new Engine(instrumentations);
                    } finally {
                        ready.countDown();
                    }
                    // A class whose load raced with the line above may still be completing its definition:
                    // sweep again a little later. Retransforming twice weaves the same original bytes.
                    retransformDeferred();
                    Thread.sleep(200);
                    retransformDeferred();
                    Thread.sleep(2000);
                    retransformDeferred();
                } catch (Throwable e) {
                    System.err.println("obs: instrumentation not installed: " + e);
                }
            }
        };
        t.setDaemon(true);
        weaverThread = t;
        t.start();
    }

    private void retransformDeferred() {
        if (deferred.isEmpty()) {
            return;
        }
        List<Class<?>> classes = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (deferred.remove(c.getName()) && inst.isModifiableClass(c)) {
                classes.add(c);
            }
        }
        if (!classes.isEmpty()) {
            try {
                inst.retransformClasses(classes.toArray(new Class<?>[0]));
            } catch (Exception | LinkageError e) {
                System.err.println("obs: could not instrument already loaded classes " + classes + ": " + e);
            }
        }
    }

    /**
     * Byte Buddy's part, built on obs-weaver. It redefines the class from the bytes the JVM
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
            warmUp();
        }

        /**
         * Describes every advice and weaves one small class of ours (result discarded), so the classes and
         * code paths of a weave are loaded before the first real candidate arrives.
         */
        private void warmUp() {
            for (TypeInstrumentation ti : instrumentations) {
                ti.transform((methods, enter, exit) -> advice(enter, exit));
            }
            String sample = WarmUpSample.class.getName();
            TypeDescription type = advicePool.describe(sample).resolve();
            String methodSpanAdvice = "dev.obs.instrumentation.methods.MethodSpanInstrumentation$MethodSpanAdvice";
            Advice spanAdvice = advice(methodSpanAdvice, methodSpanAdvice);
            byteBuddy.redefine(type, adviceLocator)
                    .visit(new AsmVisitorWrapper.ForDeclaredMethods().method(ElementMatchers.named("run"), spanAdvice))
                    .make().getBytes();
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
                    ti.transform((methods, enter, exit) ->
                            visitor[0] = visitor[0].method(methods, advice(enter, exit)));
                }
            }
            if (!matched) {
                return null;
            }
            return byteBuddy.redefine(type, locator).visit(visitor[0]).make().getBytes();
        }

        /** The advice of these classes, described from their class files once and kept. */
        private Advice advice(String enterClass, String exitClass) {
            return advice.computeIfAbsent(enterClass + "|" + exitClass, key -> enterClass.equals(exitClass)
                    ? Advice.to(advicePool.describe(enterClass).resolve(), adviceLocator)
                    : Advice.to(advicePool.describe(enterClass).resolve(), advicePool.describe(exitClass).resolve(),
                            adviceLocator));
        }
    }
}
