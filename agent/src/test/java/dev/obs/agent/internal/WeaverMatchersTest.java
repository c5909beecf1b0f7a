package dev.obs.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.acme.greeter.Greeter;
import dev.obs.agent.internal.dispatchhelpers.GreeterAdvice;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One family's type matchers cannot change what another family weaves: the {@link Weaver.Engine} asks an
 * instrumentation's type matcher only about classes its own name filters select, and a matcher that throws
 * (a super type with no class file, such as an interface another agent generated and added) leaves the class
 * to the other instrumentations.
 */
class WeaverMatchersTest {
    private static final String LIBRARY = Greeter.class.getName();
    private static byte[] original;

    @BeforeAll
    static void read() throws Exception {
        try (InputStream in = Greeter.class.getResourceAsStream("Greeter.class")) {
            original = in.readAllBytes();
        }
    }

    @Test
    void aTypeMatcherThatThrowsLeavesTheClassToTheOtherInstrumentations() {
        Matcher throwing = new Matcher(LIBRARY, type -> {
            throw new IllegalStateException("Cannot resolve type description for a generated interface");
        });
        assertNull(weave(throwing), "alone, the throwing matcher weaves nothing");
        assertNotNull(weave(throwing, new Matcher(LIBRARY, type -> type.getName().equals(LIBRARY))));
        assertNotNull(weave(new Matcher(LIBRARY, type -> type.getName().equals(LIBRARY)), throwing));
    }

    @Test
    void aTypeMatcherIsAskedOnlyAboutClassesItsOwnNameFiltersSelect() {
        AtomicInteger asked = new AtomicInteger();
        Matcher elsewhere = new Matcher("org.example.other.", type -> asked.incrementAndGet() > 0);
        assertNotNull(weave(elsewhere, new Matcher(LIBRARY, type -> type.getName().equals(LIBRARY))));
        assertEquals(0, asked.get());
        // positive control: with a filter that selects the class, the same matcher is asked (and matches)
        Matcher here = new Matcher("com.acme.greeter.*er", type -> asked.incrementAndGet() > 0);
        assertNotNull(weave(here));
        assertEquals(1, asked.get());
    }

    private static byte[] weave(TypeInstrumentation... instrumentations) {
        return new Weaver.Engine(List.of(instrumentations))
                .weave(WeaverMatchersTest.class.getClassLoader(), LIBRARY, original);
    }

    /** Greeter's advice on {@code greet}, for the types {@code matcher} accepts among those {@code pattern} names. */
    private record Matcher(String pattern, ElementMatcher<TypeDescription> matcher) implements TypeInstrumentation {
        @Override
        public List<String> typeNamePrefixes() {
            return List.of(pattern);
        }

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return matcher;
        }

        @Override
        public void transform(AdviceApplier applier) {
            applier.applyAdvice(named("greet"), GreeterAdvice.class.getName());
        }
    }
}
