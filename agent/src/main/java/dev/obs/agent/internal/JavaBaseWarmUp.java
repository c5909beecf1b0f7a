package dev.obs.agent.internal;

import dev.obs.bootstrap.Recorder;
import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import dev.obs.instrumentation.JavaBaseHook.Value;
import java.nio.file.Path;
import java.util.List;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * On a run that will weave the JDK's classes with ASM (no {@link JavaBaseCache} file yet: a first run, a new
 * cache directory, or no cache), weaves a small class of its own once, on a daemon thread started while
 * obs-weaver still sets up the hooks, and throws the result away. ASM's classes and {@link JavaBaseWeaver}'s
 * visitors are then loaded, verified and linked, and their code has run once, by the time obs-weaver weaves
 * the classes premain waits for: loading and first running them was about half of that weave's time, on the
 * critical path of such a start. The sample is built in memory (reading a class file from obs.jar through
 * its class loader's resources costs milliseconds of URL handling) and has what the JDK's hooked methods
 * have: stack map frames, a loop, a field, an int result widened for a long parameter, a catch-all exit.
 *
 * <p>A run whose java.base classes come from the cache never starts it, so it loads no ASM class. Nothing
 * the warm-up does is seen by anyone: a failure only leaves the real weave as slow as before.
 */
final class JavaBaseWarmUp extends Thread {
    static final String SAMPLE = "dev/obs/agent/internal/JavaBaseWarmUp$Sample";
    static final JavaBaseHook SAMPLE_HOOK = new JavaBaseHook(SAMPLE.replace('/', '.'), List.of("read"), "([BI)", null,
            Opcodes.ACC_PUBLIC, new Call(SAMPLE, "enter", "(Ljava/lang/Object;)J", Value.THIS),
            new Call(SAMPLE, "exit", "(JLjava/lang/Object;IJLjava/lang/Throwable;)V", Value.ENTER,
                    Value.field("fd", "Ljava/lang/Object;"), Value.argument(1), Value.RETURN, Value.THROWN),
            true);

    /** The thread (its own class, not an anonymous one: a run that skips it loads one class less). */
    private JavaBaseWarmUp() {
        super("obs-weaver-warm-up");
    }

    /**
     * Starts the warm-up unless {@code cacheRoot} holds a java.base cache file (of any key: one of another
     * JDK or obs.jar only means a weave that is not warmed up).
     */
    static void startUnlessCached(Path cacheRoot) {
        if (cacheRoot != null && JavaBaseCache.anyFileUnder(cacheRoot.toFile())) {
            return;
        }
        Thread t = new JavaBaseWarmUp();
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        Recorder.suppressCurrentThread();
        try {
            weaveSample();
        } catch (Throwable ignored) {
            // the real weave loads what it needs itself
        }
    }

    /** The sample woven by {@link JavaBaseWeaver} with {@link #SAMPLE_HOOK}. */
    static byte[] weaveSample() {
        return new JavaBaseWeaver(List.of(SAMPLE_HOOK)).weave(SAMPLE, sample());
    }

    /**
     * <pre>
     * final class Sample {
     *     private Object fd;
     *     public int read(byte[] b, int off) { int n = 0; while (off < b.length) { n += b[off]; off++; } return n; }
     *     static long enter(Object self) { return 0; }
     *     static void exit(long entered, Object fd, int off, long result, Throwable thrown) { }
     * }
     * </pre>
     */
    static byte[] sample() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, SAMPLE, null, "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PRIVATE, "fd", "Ljava/lang/Object;", null, null).visitEnd();

        MethodVisitor init = cw.visitMethod(0, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();

        MethodVisitor read = cw.visitMethod(Opcodes.ACC_PUBLIC, "read", "([BI)I", null, null);
        read.visitCode();
        Label loop = new Label();
        Label done = new Label();
        Object[] locals = {SAMPLE, "[B", Opcodes.INTEGER, Opcodes.INTEGER};
        read.visitInsn(Opcodes.ICONST_0);
        read.visitVarInsn(Opcodes.ISTORE, 3);
        read.visitLabel(loop);
        read.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, null);
        read.visitVarInsn(Opcodes.ILOAD, 2);
        read.visitVarInsn(Opcodes.ALOAD, 1);
        read.visitInsn(Opcodes.ARRAYLENGTH);
        read.visitJumpInsn(Opcodes.IF_ICMPGE, done);
        read.visitVarInsn(Opcodes.ILOAD, 3);
        read.visitVarInsn(Opcodes.ALOAD, 1);
        read.visitVarInsn(Opcodes.ILOAD, 2);
        read.visitInsn(Opcodes.BALOAD);
        read.visitInsn(Opcodes.IADD);
        read.visitVarInsn(Opcodes.ISTORE, 3);
        read.visitIincInsn(2, 1);
        read.visitJumpInsn(Opcodes.GOTO, loop);
        read.visitLabel(done);
        read.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, null);
        read.visitVarInsn(Opcodes.ILOAD, 3);
        read.visitInsn(Opcodes.IRETURN);
        read.visitMaxs(3, 4);
        read.visitEnd();

        MethodVisitor enter = cw.visitMethod(Opcodes.ACC_STATIC, "enter", "(Ljava/lang/Object;)J", null, null);
        enter.visitCode();
        enter.visitInsn(Opcodes.LCONST_0);
        enter.visitInsn(Opcodes.LRETURN);
        enter.visitMaxs(2, 1);
        enter.visitEnd();

        MethodVisitor exit = cw.visitMethod(Opcodes.ACC_STATIC, "exit", "(JLjava/lang/Object;IJLjava/lang/Throwable;)V",
                null, null);
        exit.visitCode();
        exit.visitInsn(Opcodes.RETURN);
        exit.visitMaxs(0, 7);
        exit.visitEnd();

        cw.visitEnd();
        return cw.toByteArray();
    }
}
