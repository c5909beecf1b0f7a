package dev.obs.instrumentation.sync;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code dev.obs.api.Sync}: its empty public static methods get the same advice as a declared method, so a
 * call through the API is one record as a rule's call is.
 */
final class SyncApiInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNamePrefixes() {
        return List.of(SyncFamily.API_CLASS);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return named(SyncFamily.API_CLASS);
        }

        void transform(AdviceApplier applier) {
            applier.applyAdvice(isPublic().and(isStatic()),
                    SyncRuleInstrumentation.class.getName() + "$SyncCallAdvice");
        }
    }
}
