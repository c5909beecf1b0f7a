package dev.obs.agent.internal;

import dev.obs.instrumentation.TypeInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.List;
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
 * Byte Buddy setup: advice is inlined into the matched methods without changing the class format, so
 * classes already loaded can be retransformed. Advice types are described from their class files
 * (by name), never loaded here.
 */
final class Weaver {
    private Weaver() {
    }

    static void install(Instrumentation inst, List<TypeInstrumentation> instrumentations) {
        ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
        TypePool advicePool = TypePool.Default.of(adviceLocator);
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .ignore(ElementMatchers.nameStartsWith("dev.obs.")
                        .or(ElementMatchers.nameStartsWith("net.bytebuddy."))
                        .or(ElementMatchers.isSynthetic()));
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
        builder.installOn(inst);
    }
}
