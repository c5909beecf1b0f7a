package dev.obs.instrumentation.sync;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.obs.instrumentation.sync.dispatch.SyncDispatch;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The advice of the sync rules of one class (all of them in one instrumentation, so that a method two rules
 * declare is woven once, and each call is recorded once per rule): the declared methods of the class and of
 * its subclasses and implementations
 * in the class's package (or below; a cheap name filter comes before any class is parsed) hands each call's
 * receiver, arguments, result and exception to {@link SyncDispatch}, through invokedynamic (the advice runs in
 * a helper loader next to the program's class).
 */
public final class SyncRuleInstrumentation implements TypeInstrumentation {
    /** The pointcuts of one class, at least one. */
    private final List<SyncPointcut> pointcuts;

    public SyncRuleInstrumentation(List<SyncPointcut> pointcuts) {
        this.pointcuts = pointcuts;
    }

    @Override
    public List<String> typeNamePrefixes() {
        return List.of(pointcuts.get(0).packagePrefix());
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public String configurationKey() {
        StringBuilder key = new StringBuilder(pointcuts.get(0).className());
        for (SyncPointcut p : pointcuts) {
            key.append('#').append(p.methodName()).append(p.signature()).append(p.usesResult() ? "+result" : "");
        }
        return key.toString();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** Called from the declared method by invokedynamic; the class and method are constants woven in. */
    @SuppressWarnings("unused")
    public static final class SyncCallAdvice {
        private SyncCallAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method,
                                @Advice.This(optional = true) Object self, @Advice.AllArguments Object[] args,
                                @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                                @Advice.Thrown Throwable thrown, @Advice.Enter long start) {
            SyncDispatch.exit(type, method, self, args, returned, thrown, start);
        }
    }

    /** As {@link SyncCallAdvice}, for a method whose result no rule reads: the result is not boxed or passed. */
    @SuppressWarnings("unused")
    public static final class SyncCallAdviceNoResult {
        private SyncCallAdviceNoResult() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static long enter() {
            return System.nanoTime();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Origin Class<?> type, @Advice.Origin("#m#d") String method,
                                @Advice.This(optional = true) Object self, @Advice.AllArguments Object[] args,
                                @Advice.Thrown Throwable thrown, @Advice.Enter long start) {
            SyncDispatch.exit(type, method, self, args, null, thrown, start);
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return hasSuperType(named(pointcuts.get(0).className()));
        }

        void transform(AdviceApplier applier) {
            ElementMatcher.Junction<MethodDescription> withResult = null;
            ElementMatcher.Junction<MethodDescription> withoutResult = null;
            for (SyncPointcut p : pointcuts) {
                ElementMatcher.Junction<MethodDescription> one = named(p.methodName());
                if (!p.signature().isEmpty()) {
                    one = one.and(m -> {
                        List<String> names = new ArrayList<>();
                        for (TypeDefinition t : m.getParameters().asTypeList()) {
                            names.add(t.asErasure().getActualName());
                        }
                        return p.parameters().test(names);
                    });
                }
                if (p.usesResult()) {
                    withResult = withResult == null ? one : withResult.or(one);
                } else {
                    withoutResult = withoutResult == null ? one : withoutResult.or(one);
                }
            }
            ElementMatcher.Junction<MethodDescription> methods = isMethod()
                    .and(not(isAbstract())).and(not(isNative())).and(not(isSynthetic()));
            // a method some rule reads the result of gets the advice that hands it over (boxed); the others get
            // the one that does not box it: each method gets exactly one of the two
            if (withResult != null) {
                applier.applyAdvice(methods.and(withResult), SyncRuleInstrumentation.class.getName() + "$SyncCallAdvice");
            }
            if (withoutResult != null) {
                ElementMatcher.Junction<MethodDescription> only = methods.and(withoutResult);
                applier.applyAdvice(withResult == null ? only : only.and(not(withResult)),
                        SyncRuleInstrumentation.class.getName() + "$SyncCallAdviceNoResult");
            }
        }
    }
}
