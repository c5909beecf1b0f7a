package dev.obs.agent.internal;

import dev.obs.instrumentation.TypeInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatchers;
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
    private volatile ClassFileTransformer byteBuddy;

    private Weaver(List<TypeInstrumentation> instrumentations) {
        this.instrumentations = instrumentations;
        Set<String> prefixes = new LinkedHashSet<>();
        for (TypeInstrumentation ti : instrumentations) {
            for (String p : ti.typeNamePrefixes()) {
                prefixes.add(p.replace('.', '/'));
            }
        }
        this.internalPrefixes = prefixes.toArray(new String[0]);
    }

    /** Registers the transformer and retransforms candidate classes that are already loaded. */
    static void install(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        Weaver weaver = new Weaver(instrumentations);
        inst.addTransformer(weaver, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (inst.isModifiableClass(c) && weaver.isCandidate(c.getName().replace('.', '/'))) {
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
            return byteBuddy().transform(module, loader, className, classBeingRedefined, domain, classfileBuffer);
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

    private ClassFileTransformer byteBuddy() {
        ClassFileTransformer t = byteBuddy;
        if (t == null) {
            synchronized (this) {
                t = byteBuddy;
                if (t == null) {
                    t = byteBuddy = build(instrumentations);
                }
            }
        }
        return t;
    }

    private static ClassFileTransformer build(List<TypeInstrumentation> instrumentations) {
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
        TypePool advicePool = TypePool.Default.of(adviceLocator);
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .ignore(ElementMatchers.nameStartsWith("dev.obs.")
                        .or(ElementMatchers.nameStartsWith("net.bytebuddy.")));
        for (TypeInstrumentation ti : instrumentations) {
            builder = builder.type(ti.typeMatcher()).transform((b, type, loader, module, domain) -> {
                AsmVisitorWrapper.ForDeclaredMethods[] visitor = {new AsmVisitorWrapper.ForDeclaredMethods()};
                ti.transform((methods, adviceClass) -> {
                    TypeDescription advice = advicePool.describe(adviceClass).resolve();
                    visitor[0] = visitor[0].method(methods, Advice.to(advice, adviceLocator));
                });
                return b.visit(visitor[0]);
            });
        }
        return builder.makeRaw();
    }
}
