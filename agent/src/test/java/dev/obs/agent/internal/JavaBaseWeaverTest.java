package dev.obs.agent.internal;

import static dev.obs.instrumentation.JavaBaseHook.Value.ENTER;
import static dev.obs.instrumentation.JavaBaseHook.Value.RETURN;
import static dev.obs.instrumentation.JavaBaseHook.Value.THIS;
import static dev.obs.instrumentation.JavaBaseHook.Value.THROWN;
import static dev.obs.instrumentation.JavaBaseHook.Value.argument;
import static dev.obs.instrumentation.JavaBaseHook.Value.constant;
import static dev.obs.instrumentation.JavaBaseHook.Value.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JavaBaseWeaver} on {@link HookTarget}, defined in a loader of its own, where the JVM verifies
 * it (a wrong frame is a VerifyError here): the hooks see what the method got and did, exactly once per
 * call, and the method's results and exceptions (the same instances) are unchanged.
 */
class JavaBaseWeaverTest {
    private static final String TARGET = HookTarget.class.getName();
    private static final String LOG = "dev/obs/agent/internal/HookLog";
    private static final Call ENTER_CALL = new Call(LOG, "enter", "(Ljava/lang/Object;)Ljava/lang/Object;", THIS);
    private static final Call EXIT = new Call(LOG, "exit",
            "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/String;JLjava/lang/Throwable;)V", ENTER,
            field("fd", "Ljava/lang/Object;"), field("path", "Ljava/lang/String;"), RETURN, THROWN);
    private static final List<JavaBaseHook> HOOKS = List.of(
            new JavaBaseHook(TARGET, List.of("read", "count"), null, "IJ", Modifier.PUBLIC, ENTER_CALL, EXIT, true),
            new JavaBaseHook(TARGET, List.of("write"), "([BII)", null, Modifier.PUBLIC, ENTER_CALL,
                    new Call(LOG, "written", "(Ljava/lang/Object;IILjava/lang/Throwable;)V", ENTER, constant(42),
                            argument(2), THROWN), true),
            new JavaBaseHook(TARGET, List.of("open"), null, null, Modifier.STATIC, null,
                    new Call(LOG, "opened", "(Ljava/lang/String;Ljava/lang/String;)V", argument(0), argument(1)),
                    false));

    private Class<?> woven;
    private Object target;

    @BeforeEach
    void weave() throws Exception {
        HookLog.clear();
        woven = weave(HOOKS);
        target = woven.getConstructor(String.class).newInstance("/data/f");
    }

    /** HookTarget woven with {@code hooks}, defined (and verified) in a loader of its own. */
    private static Class<?> weave(List<JavaBaseHook> hooks) throws Exception {
        byte[] original;
        try (InputStream in = HookTarget.class.getResourceAsStream("HookTarget.class")) {
            original = in.readAllBytes();
        }
        byte[] bytes = new JavaBaseWeaver(hooks).weave(TARGET.replace('.', '/'), original);
        return new OneClassLoader(TARGET, bytes).loadClass(TARGET);
    }

    @Test
    void aConstructorArgumentReplacedAtEntryIsWhatTheConstructorStores() throws Throwable {
        JavaBaseHook replacing = new JavaBaseHook(TARGET, List.of("<init>"), "(Ljava/lang/String;)", null, 0,
                new Call(LOG, "bracketed", "(Ljava/lang/String;)Ljava/lang/String;", argument(0)), null, false, 0, true);
        Object replaced = weave(List.of(replacing)).getConstructor(String.class).newInstance("/data/g");
        java.lang.reflect.Field path = replaced.getClass().getDeclaredField("path");
        path.setAccessible(true);
        assertEquals("</data/g>", path.get(replaced));
        assertEquals(List.of("bracketed /data/g"), HookLog.CALLS);
    }

    @Test
    void anArgumentReplacedAtEntryIsWhatTheMethodRunsWithAndAHookWithoutExitAddsNoCall() throws Throwable {
        JavaBaseHook replacing = new JavaBaseHook(TARGET, List.of("read"), "(I)", null, Modifier.PUBLIC,
                new Call(LOG, "plusHundred", "(I)I", argument(0)), null, false, 0, true);
        woven = weave(List.of(replacing));
        target = woven.getConstructor(String.class).newInstance("/data/f");
        assertEquals(7, call("read", 107), "read(207), as the hook made it");
        assertThrows(IllegalArgumentException.class, () -> call("read", -600));
        assertEquals(List.of("plusHundred 107", "plusHundred -600"), HookLog.CALLS);
    }

    @Test
    void eachReturnIsOneExitWithTheResultAndTheResultIsUnchanged() throws Throwable {
        assertEquals(7, call("read", 207));
        assertEquals(-13, call("read", 113));
        assertEquals(60, call("read", 130));
        assertEquals(List.of("enter t1", "exit t1 /data/f 7 -", "enter t2", "exit t2 /data/f -13 -",
                "enter t3", "exit t3 /data/f 60 -"), HookLog.CALLS);
        assertSame(fd(), HookLog.VALUES.get(0), "the field of this instance");
    }

    @Test
    void anExceptionIsOneExitWithItAndReachesTheCallerUnchanged() throws Throwable {
        Throwable thrown = assertThrows(IllegalArgumentException.class, () -> call("read", -500));
        assertEquals(List.of("enter t1", "exit t1 /data/f 0 IllegalArgumentException"), HookLog.CALLS);
        assertSame(thrown, HookLog.VALUES.get(1), "the method's own exception, not a copy");
    }

    @Test
    void aLongResultIsPassedWhole() throws Throwable {
        assertEquals(3_000_000_001L, call("count", 1_000_000_000L));
        assertThrows(ArithmeticException.class, () -> call("count", -1L));
        assertEquals(List.of("enter t1", "exit t1 /data/f 3000000001 -", "enter t2",
                "exit t2 /data/f 0 ArithmeticException"), HookLog.CALLS);
    }

    @Test
    void argumentsAreTheOnesTheMethodWasCalledWithAndConstantsAreWovenIn() throws Throwable {
        byte[] b = new byte[2];
        call("write", b, 1, 5);
        assertEquals(10, b[1], "the method ran as written");
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> call("write", b, 9, 3));
        assertEquals(List.of("enter t1", "written t1 42 5 -", "enter t2", "written t2 42 3 ArrayIndexOutOfBoundsException"),
                HookLog.CALLS);
    }

    @Test
    void aStaticMethodGetsItsExitWithTheArgumentsItWasCalledWith() throws Throwable {
        assertEquals("a!b", woven.getMethod("open", String.class, String.class).invoke(null, "a", "b"));
        assertEquals(List.of("opened a b"), HookLog.CALLS);
    }

    @Test
    void aMethodNoHookNamesIsLeftAlone() throws Throwable {
        assertEquals(1, call("untouched"));
        assertEquals(List.of(), HookLog.CALLS);
        JavaBaseHook absent = new JavaBaseHook(HookLog.class.getName(), List.of("absent"), null, null, 0, null,
                HOOKS.get(2).exit(), false);
        assertNull(new JavaBaseWeaver(List.of(absent)).weave(LOG, classFile(HookLog.class)),
                "a class with no hooked method is not rewritten");
    }

    @Test
    void theMaxLocalsReadFromTheClassFileAreThoseAVisitOfTheCodeReports() throws Exception {
        List<JavaBaseHook> hooks = new java.util.ArrayList<>(new dev.obs.instrumentation.fs.FsFamily().javaBaseHooks());
        hooks.addAll(new dev.obs.instrumentation.concurrent.ConcurrentFamily().javaBaseHooks());
        hooks.addAll(new dev.obs.instrumentation.process.ProcessFamily(new String[0], false).javaBaseHooks());
        hooks.addAll(HOOKS);
        java.util.Set<String> classes = new java.util.LinkedHashSet<>();
        for (JavaBaseHook h : hooks) {
            classes.add(h.className().replace('.', '/'));
        }
        int methods = 0;
        for (String name : classes) {
            byte[] bytes;
            try (InputStream in = name.startsWith("java/") || name.startsWith("sun/")
                    ? Object.class.getResourceAsStream("/" + name + ".class")
                    : JavaBaseWeaverTest.class.getResourceAsStream("/" + name + ".class")) {
                if (in == null) {
                    continue; // a class of a later JDK (VirtualThread)
                }
                bytes = in.readAllBytes();
            }
            net.bytebuddy.jar.asm.ClassReader reader = new net.bytebuddy.jar.asm.ClassReader(bytes);
            java.util.Map<String, Integer> visited = new java.util.HashMap<>();
            reader.accept(new net.bytebuddy.jar.asm.ClassVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                @Override
                public net.bytebuddy.jar.asm.MethodVisitor visitMethod(int access, String m, String descriptor,
                                                                       String signature, String[] exceptions) {
                    for (JavaBaseHook h : hooks) {
                        if (h.className().replace('.', '/').equals(name) && h.matches(access, m, descriptor)) {
                            return new net.bytebuddy.jar.asm.MethodVisitor(net.bytebuddy.jar.asm.Opcodes.ASM9) {
                                @Override
                                public void visitMaxs(int maxStack, int maxLocals) {
                                    visited.put(m + descriptor, maxLocals);
                                }
                            };
                        }
                    }
                    return null;
                }
            }, 0);
            List<JavaBaseHook> ofClass = new java.util.ArrayList<>();
            for (JavaBaseHook h : hooks) {
                if (h.className().replace('.', '/').equals(name)) {
                    ofClass.add(h);
                }
            }
            assertEquals(visited, JavaBaseWeaver.Asm.maxLocalsOfHooked(reader, ofClass), name);
            methods += visited.size();
        }
        assertTrue(methods > 20, "hooked methods compared: " + methods);
    }

    private Object fd() throws Exception {
        java.lang.reflect.Field f = woven.getDeclaredField("fd");
        f.setAccessible(true);
        return f.get(target);
    }

    private Object call(String name, Object... args) throws Throwable {
        for (Method m : woven.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        }
        throw new AssertionError(name);
    }

    private static byte[] classFile(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
