package dev.obs.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.agent.internal.dispatchhelpers.GreeterAdvice;
import com.acme.greeter.Greeter;
import dev.obs.bootstrap.HelperDispatch;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Library-family dispatch: {@link Greeter} (the "library") woven by the {@link Weaver.Engine} with
 * {@code inline = false} advice, defined in a loader of its own; the woven method calls the advice through
 * {@link HelperDispatch}, which {@link HelperLoaders} links to the advice defined in a helper loader whose
 * parent is that library loader, so the advice is typed against the library's own classes.
 */
class HelperDispatchTest {
    private static final String LIBRARY = Greeter.class.getName();
    private static byte[] woven;

    private HelperLoaders linker;

    @BeforeAll
    static void weave() throws Exception {
        byte[] original;
        try (InputStream in = Greeter.class.getResourceAsStream("Greeter.class")) {
            original = in.readAllBytes();
        }
        woven = new Weaver.Engine(List.of(new GreeterInstrumentation()))
                .weave(HelperDispatchTest.class.getClassLoader(), LIBRARY, original);
    }

    @BeforeEach
    void install() {
        DispatchLog.clear();
        linker = new HelperLoaders(HelperDispatchTest.class.getClassLoader());
        HelperDispatch.install(linker);
    }

    @AfterEach
    void uninstall() {
        HelperDispatch.install(null);
    }

    @Test
    void theWovenMethodCallsTheAdviceThroughInvokedynamicNotACopyOfIt() {
        List<String> bootstraps = new ArrayList<>();
        List<String> invoked = new ArrayList<>();
        new ClassReader(woven).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInvokeDynamicInsn(String n, String d, Handle bsm, Object... args) {
                        bootstraps.add(n + " " + bsm.getOwner() + "." + bsm.getName() + " " + List.of(args));
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        invoked.add(owner + "." + n);
                    }
                };
            }
        }, 0);
        String advice = GreeterAdvice.class.getName();
        assertEquals(List.of("enter dev/obs/bootstrap/HelperDispatch.bootstrap [" + advice + "]",
                "exit dev/obs/bootstrap/HelperDispatch.bootstrap [" + advice + "]"), bootstraps);
        assertTrue(invoked.stream().noneMatch(call -> call.startsWith("dev/obs/agent/internal/DispatchLog")), invoked::toString);
    }

    @Test
    void theAdviceRunsInAHelperLoaderWhoseParentIsTheLibrarysLoader() throws Exception {
        ClassLoader library = new LibraryLoader();
        Object greeter = library.loadClass(LIBRARY).getConstructor(String.class).newInstance("Ada");

        Object result = greeter.getClass().getMethod("greet", String.class).invoke(greeter, "Hello");

        assertEquals("Hello, Ada", result);
        assertEquals(List.of("enter Ada Hello", "exit token-Hello Hello, Ada -"), DispatchLog.CALLS);
        Class<?> advice = DispatchLog.ADVICE_CLASSES.get(0);
        assertInstanceOf(HelperClassLoader.class, advice.getClassLoader());
        assertSame(library, advice.getClassLoader().getParent());
        assertSame(greeter.getClass(), DispatchLog.LIBRARY_CLASSES.get(0), "the advice's Greeter is the library's");
        assertSame(advice, DispatchLog.ADVICE_CLASSES.get(1), "enter and exit share one helper class");
    }

    @Test
    void eachLibraryLoaderGetsItsOwnHelpersAndOneLoaderReusesThem() throws Exception {
        ClassLoader first = new LibraryLoader();
        ClassLoader second = new LibraryLoader();
        greet(first, "a");
        greet(first, "b");
        greet(second, "c");

        List<Class<?>> advice = DispatchLog.ADVICE_CLASSES;
        assertEquals(6, advice.size());
        assertSame(advice.get(0), advice.get(2), "the same library loader reuses its helper class");
        assertNotSame(advice.get(0), advice.get(4), "another library loader has its own");
        assertSame(second, advice.get(4).getClassLoader().getParent());
    }

    @Test
    void anExceptionOfTheLibraryReachesTheCallerUnchangedAndTheAdviceSeesIt() throws Exception {
        ClassLoader library = new LibraryLoader();
        Object greeter = library.loadClass(LIBRARY).getConstructor(String.class).newInstance("Ada");

        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> greeter.getClass().getMethod("greet", String.class).invoke(greeter, (Object) null));

        assertEquals("no greeting", e.getCause().getMessage());
        assertEquals(List.of("enter Ada null", "exit token-null null IllegalArgumentException"), DispatchLog.CALLS);
    }

    @Test
    void anAdviceFailureIsSuppressedAndTheMethodRunsUnchanged() throws Exception {
        assertEquals("boom, Ada", greet(new LibraryLoader(), "boom"));
        assertEquals(List.of("exit null boom, Ada -"), DispatchLog.CALLS, "the exit still runs, with no token");
    }

    @Test
    void withNoLinkerTheAdviceIsOffAndTheMethodRunsUnchanged() throws Exception {
        HelperDispatch.install(null);
        assertEquals("Hi, Ada", greet(new LibraryLoader(), "Hi"));
        assertEquals(List.of(), DispatchLog.CALLS);
        // positive control in the same run: with the linker back, a fresh library class is advised
        HelperDispatch.install(linker);
        assertEquals("Hi, Ada", greet(new LibraryLoader(), "Hi"));
        assertEquals(2, DispatchLog.CALLS.size());
    }

    private static Object greet(ClassLoader library, String greeting) throws Exception {
        Object greeter = library.loadClass(LIBRARY).getConstructor(String.class).newInstance("Ada");
        return greeter.getClass().getMethod("greet", String.class).invoke(greeter, greeting);
    }

    /** A library loader of its own, defining the woven Greeter. */
    private static final class LibraryLoader extends OneClassLoader {
        LibraryLoader() {
            super(LIBRARY, woven);
        }
    }

    /** Greeter.greet with the dispatched GreeterAdvice. */
    private static final class GreeterInstrumentation implements TypeInstrumentation {
        @Override
        public List<String> typeNamePrefixes() {
            return List.of(LIBRARY);
        }

        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(LIBRARY);
        }

        @Override
        public void transform(AdviceApplier applier) {
            applier.applyAdvice(named("greet"), GreeterAdvice.class.getName());
        }
    }
}
