package dev.obs.agent.internal;

import dev.obs.instrumentation.JavaBaseHook;
import dev.obs.instrumentation.JavaBaseHook.Call;
import dev.obs.instrumentation.JavaBaseHook.Kind;
import dev.obs.instrumentation.JavaBaseHook.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Weaves the {@link JavaBaseHook}s (the JDK's file and process classes, and the concurrent family's) with
 * plain ASM visitors: the classes already loaded are retransformed by obs-weaver, before premain returns
 * unless all their hooks may wait ({@link JavaBaseHook#afterPremain()}), the others are woven as they load,
 * on the loading thread. No class is loaded to weave (no {@code COMPUTE_FRAMES}, whose common-superclass
 * search loads classes) and the results are kept in the {@link JavaBaseCache}, not the weave cache
 * (obs-weaver opens that one only after weaving these): a weave parses a class of a few kilobytes
 * and copies its unhooked methods as they are.
 *
 * <p>What a woven method becomes, for an exit called {@code onThrowable}:
 * <pre>
 *   state = enter(...)              // new local, set before anything of the method runs
 *   arg'  = arg                     // the arguments the exit reads, kept in new locals
 *   try { ...original code, each xRETURN replaced by:
 *            result = value; exit(..., result, null); return result; ... }
 *   catch (Throwable t) { exit(..., 0, t); throw t; }   // the method's own exception, unchanged
 * </pre>
 * A hook may have no exit (nothing at the returns, no handler), and its entry result may replace one of the
 * method's arguments instead of going to a new local ({@link JavaBaseHook#replacedArgument()}: a task wrapped
 * where it is submitted): it is stored into the argument's own slot, with the argument's type, before the
 * method's own code (in a constructor, before its {@code super(...)} call, which the verifier allows as the
 * code touches no {@code this}), so every frame stays as it was.
 * The exit sequences at the returns lie outside the catch-all's ranges (one range per stretch of original
 * code between two returns), so an exit call is never made twice. The hooks catch every Throwable
 * themselves, so no handler surrounds a hook call.
 *
 * <p>Frames: the reader expands the method's stack map frames; each is rewritten to hold the original
 * locals, TOP up to the method's original {@code max_locals} and then the new locals, which hold the
 * same values at every instruction after the entry. The only new frame is the catch-all's: {@code this}
 * (never reassigned in an instance method), TOP, the new locals, and the Throwable on the stack. The new
 * locals come after every original one, so the method's own instructions are copied unchanged; the
 * original {@code max_locals} they need is read first from the hooked methods' {@code Code} attributes.
 */
final class JavaBaseWeaver {
    /** Stack slots a hook call needs at most beyond the method's own (6 for the largest fs exit). */
    private static final int EXTRA_STACK = 8;

    /** Internal class name: its hooks. */
    private final Map<String, List<JavaBaseHook>> hooksByClass = new HashMap<>();
    /** Binary class name: the same lists, for loaded classes. */
    private final Map<String, List<JavaBaseHook>> hooksByBinaryName = new HashMap<>();

    JavaBaseWeaver(List<JavaBaseHook> hooks) {
        for (JavaBaseHook hook : hooks) {
            // no lambda (computeIfAbsent): the first one costs the JVM milliseconds, and this runs in premain
            List<JavaBaseHook> list = hooksByBinaryName.get(hook.className());
            if (list == null) {
                list = new ArrayList<>();
                hooksByBinaryName.put(hook.className(), list);
            }
            list.add(hook);
            hooksByClass.put(hook.className().replace('.', '/'), list);
        }
    }

    /**
     * A description of every hook, for {@link JavaBaseCache}'s key: a change to a hook changes the key.
     * Written out by hand: a record's {@code toString} bootstraps an invokedynamic call site, milliseconds in
     * premain.
     */
    static String describe(List<JavaBaseHook> hooks) {
        StringBuilder out = new StringBuilder();
        for (JavaBaseHook h : hooks) {
            out.append(h.className()).append(' ').append(h.methodNames()).append(' ').append(h.parameters())
                    .append(' ').append(h.returns()).append(' ').append(h.modifiers()).append(' ')
                    .append(h.onThrowable());
            describe(out.append(" enter "), h.enter());
            describe(out.append(" exit "), h.exit());
            out.append(';');
        }
        return out.toString();
    }

    private static void describe(StringBuilder out, Call call) {
        if (call == null) {
            out.append("none");
            return;
        }
        out.append(call.owner()).append('.').append(call.name()).append(call.descriptor()).append('(');
        for (Value v : call.arguments()) {
            out.append(v.kind().name()).append(' ').append(v.name()).append(' ').append(v.descriptor()).append(' ')
                    .append(v.number()).append(',');
        }
        out.append(')');
    }

    boolean isEmpty() {
        return hooksByClass.isEmpty();
    }

    /** Whether the class of this internal name ({@code java/io/File}) is one this weaver weaves. */
    boolean covers(String internalName) {
        return internalName != null && hooksByClass.containsKey(internalName);
    }

    /** Whether a loaded class of this binary name is one to retransform. */
    boolean coversLoaded(String binaryName) {
        return hooksByBinaryName.containsKey(binaryName);
    }

    /**
     * Whether a loaded class of this binary name may wait until premain has returned to be retransformed:
     * every hook of it says so ({@link JavaBaseHook#afterPremain()}).
     */
    boolean retransformAfterPremain(String binaryName) {
        List<JavaBaseHook> hooks = hooksByBinaryName.get(binaryName);
        if (hooks == null) {
            return false;
        }
        for (JavaBaseHook hook : hooks) {
            if (!hook.afterPremain()) {
                return false;
            }
        }
        return true;
    }

    /** The woven class file, or null when none of its methods is hooked (the class stays as it is). */
    byte[] weave(String internalName, byte[] classFile) {
        List<JavaBaseHook> hooks = hooksByClass.get(internalName);
        return hooks == null ? null : Asm.weave(internalName, classFile, hooks);
    }

    /**
     * The ASM part, in a class of its own: verifying {@link JavaBaseWeaver} then loads none of ASM's classes, so
     * a run whose java.base classes all come from the {@link JavaBaseCache} never loads ASM.
     */
    static final class Asm {
        private Asm() {
        }

        static byte[] weave(String internalName, byte[] classFile, List<JavaBaseHook> hooks) {
            ClassReader reader = new ClassReader(classFile);
            Map<String, Integer> maxLocals = maxLocalsOfHooked(reader, hooks);
            if (maxLocals.isEmpty()) {
                return null;
            }
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    JavaBaseHook hook = find(hooks, access, name, descriptor);
                    Integer originalMaxLocals = maxLocals.get(name + descriptor);
                    return hook == null || originalMaxLocals == null ? mv
                            : new HookedMethod(mv, internalName, access, descriptor, hook, originalMaxLocals);
                }
            }, ClassReader.EXPAND_FRAMES);
            return writer.toByteArray();
        }

        /**
         * The first pass: {@code max_locals} of each hooked method (name + descriptor), read from the header of
         * its {@code Code} attribute by walking the class file's fields and methods (JVMS 4.1, 4.5-4.7), not by
         * visiting its instructions: a visit decodes every instruction of the hooked methods a second time.
         */
        static Map<String, Integer> maxLocalsOfHooked(ClassReader reader, List<JavaBaseHook> hooks) {
            Map<String, Integer> byMethod = new HashMap<>();
            char[] buffer = new char[reader.getMaxStringLength()];
            int at = reader.header + 6; // access_flags, this_class, super_class
            at += 2 + 2 * reader.readUnsignedShort(at); // interfaces
            int fields = reader.readUnsignedShort(at);
            at += 2;
            for (int i = 0; i < fields; i++) {
                at = skipAttributes(reader, at + 6); // access_flags, name_index, descriptor_index
            }
            int methods = reader.readUnsignedShort(at);
            at += 2;
            for (int i = 0; i < methods; i++) {
                int access = reader.readUnsignedShort(at);
                String name = reader.readUTF8(at + 2, buffer);
                String descriptor = reader.readUTF8(at + 4, buffer);
                int attributes = reader.readUnsignedShort(at + 6);
                at += 8;
                boolean hooked = find(hooks, access, name, descriptor) != null;
                for (int a = 0; a < attributes; a++) {
                    int length = reader.readInt(at + 2);
                    if (hooked && "Code".equals(reader.readUTF8(at, buffer))) {
                        // attribute_name_index, attribute_length, max_stack, then max_locals
                        byMethod.put(name + descriptor, reader.readUnsignedShort(at + 8));
                    }
                    at += 6 + length;
                }
            }
            return byMethod;
        }

        /** The offset after the attribute count at {@code at} and the attributes it counts. */
        private static int skipAttributes(ClassReader reader, int at) {
            int attributes = reader.readUnsignedShort(at);
            at += 2;
            for (int a = 0; a < attributes; a++) {
                at += 6 + reader.readInt(at + 2);
            }
            return at;
        }
    }

    private static JavaBaseHook find(List<JavaBaseHook> hooks, int access, String name, String descriptor) {
        for (JavaBaseHook hook : hooks) {
            if (hook.matches(access, name, descriptor)) {
                return hook;
            }
        }
        return null;
    }

    /**
     * One hooked method (see the class comment). Instructions of the original code pass through unchanged;
     * each one marks the current protected range as not empty (the JVM rejects an empty range).
     */
    private static final class HookedMethod extends MethodVisitor {
        private final String owner;
        private final boolean isStatic;
        private final Type[] argumentTypes;
        private final Type returnType;
        private final JavaBaseHook hook;
        /** Whether the exit is also called on a throw: a catch-all handler around the original code. */
        private final boolean catchAll;
        private final int originalMaxLocals;
        private final int enterSlot;
        private final Type enterType;
        /** The new local keeping argument i, or -1 when the exit does not read it. */
        private final int[] keptArgumentSlots;
        /** Return value before the exit call, or the Throwable in the handler. */
        private final int scratchSlot;
        /** The new locals in frame form (after TOP up to originalMaxLocals). */
        private final Object[] newLocals;
        private final Label handler = new Label();
        private Label rangeStart;
        private boolean rangeHasCode;

        HookedMethod(MethodVisitor mv, String owner, int access, String descriptor, JavaBaseHook hook,
                     int originalMaxLocals) {
            super(Opcodes.ASM9, mv);
            this.owner = owner;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.argumentTypes = Type.getArgumentTypes(descriptor);
            this.returnType = Type.getReturnType(descriptor);
            this.hook = hook;
            this.catchAll = hook.onThrowable() && hook.exit() != null;
            this.originalMaxLocals = originalMaxLocals;
            List<Object> frameTypes = new ArrayList<>();
            int next = originalMaxLocals;
            // an entry result that replaces an argument goes to the argument's own slot, not a new local
            enterType = hook.enter() == null || hook.replacedArgument() >= 0 ? Type.VOID_TYPE
                    : Type.getReturnType(hook.enter().descriptor());
            enterSlot = next;
            if (enterType.getSize() > 0) {
                frameTypes.add(frameType(enterType));
                next += enterType.getSize();
            }
            keptArgumentSlots = new int[argumentTypes.length];
            java.util.Arrays.fill(keptArgumentSlots, -1);
            for (Value v : hook.exit() == null ? List.<Value>of() : hook.exit().arguments()) {
                if (v.kind() == Kind.ARGUMENT && keptArgumentSlots[v.number()] < 0) {
                    keptArgumentSlots[v.number()] = next;
                    frameTypes.add(frameType(argumentTypes[v.number()]));
                    next += argumentTypes[v.number()].getSize();
                }
            }
            scratchSlot = next;
            newLocals = frameTypes.toArray();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Call enter = hook.enter();
            if (enter != null) {
                push(enter, Mode.ENTRY);
                int replaced = hook.replacedArgument();
                if (replaced >= 0) {
                    // same type as the argument (the hook's descriptor says so): every frame stays valid
                    super.visitVarInsn(argumentTypes[replaced].getOpcode(Opcodes.ISTORE), argumentSlot(replaced));
                } else if (enterType.getSize() > 0) {
                    super.visitVarInsn(enterType.getOpcode(Opcodes.ISTORE), enterSlot);
                }
            }
            for (int i = 0; i < keptArgumentSlots.length; i++) {
                if (keptArgumentSlots[i] >= 0) {
                    super.visitVarInsn(argumentTypes[i].getOpcode(Opcodes.ILOAD), argumentSlot(i));
                    super.visitVarInsn(argumentTypes[i].getOpcode(Opcodes.ISTORE), keptArgumentSlots[i]);
                }
            }
            openRange();
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hook.exit() != null) {
                closeRange();
                if (returnType.getSize() > 0) {
                    super.visitVarInsn(returnType.getOpcode(Opcodes.ISTORE), scratchSlot);
                }
                push(hook.exit(), Mode.RETURNED);
                if (returnType.getSize() > 0) {
                    super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), scratchSlot);
                }
                super.visitInsn(opcode);
                openRange();
                return;
            }
            rangeHasCode = true;
            super.visitInsn(opcode);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (type != Opcodes.F_NEW) {
                throw new IllegalStateException("frames are read expanded");
            }
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            Object[] locals = withNewLocals(java.util.Arrays.copyOf(local, numLocal), slots);
            super.visitFrame(Opcodes.F_NEW, locals.length, locals, numStack, stack);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            closeRange();
            if (catchAll) {
                super.visitLabel(handler);
                Object[] locals = withNewLocals(isStatic ? new Object[0] : new Object[] {owner}, isStatic ? 0 : 1);
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
                super.visitVarInsn(Opcodes.ASTORE, scratchSlot);
                push(hook.exit(), Mode.THREW);
                super.visitVarInsn(Opcodes.ALOAD, scratchSlot);
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(maxStack + EXTRA_STACK, Math.max(maxLocals, scratchSlot + 2));
        }

        // ------------------------------------------------------------------------------ the hook calls

        private enum Mode { ENTRY, RETURNED, THREW }

        /** Pushes the call's arguments and calls it. */
        private void push(Call call, Mode mode) {
            Type[] parameters = Type.getArgumentTypes(call.descriptor());
            List<Value> values = call.arguments();
            if (parameters.length != values.size()) {
                throw new IllegalArgumentException(call + ": " + values.size() + " values for " + parameters.length
                        + " parameters");
            }
            for (int i = 0; i < parameters.length; i++) {
                Type pushed = push(values.get(i), mode);
                if (parameters[i].getSort() == Type.LONG && pushed.getSize() == 1 && pushed.getSort() <= Type.INT) {
                    super.visitInsn(Opcodes.I2L);
                } else if (pushed.getSize() != parameters[i].getSize()) {
                    throw new IllegalArgumentException(call + ": " + values.get(i) + " is a " + pushed
                            + ", the hook takes a " + parameters[i]);
                }
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, call.owner(), call.name(), call.descriptor(), false);
        }

        /** Pushes one value; returns its type. */
        private Type push(Value v, Mode mode) {
            switch (v.kind()) {
                case THIS:
                    requireInstance(v);
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    return Type.getObjectType(owner);
                case FIELD:
                    requireInstance(v);
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(Opcodes.GETFIELD, owner, v.name(), v.descriptor());
                    return Type.getType(v.descriptor());
                case ARGUMENT:
                    Type type = argumentTypes[v.number()];
                    super.visitVarInsn(type.getOpcode(Opcodes.ILOAD),
                            mode == Mode.ENTRY ? argumentSlot(v.number()) : keptArgumentSlots[v.number()]);
                    return type;
                case CONSTANT:
                    super.visitLdcInsn(v.number());
                    return Type.INT_TYPE;
                case ENTER:
                    if (mode == Mode.ENTRY || enterType.getSize() == 0) {
                        throw new IllegalArgumentException(v + " has no entry result to read");
                    }
                    super.visitVarInsn(enterType.getOpcode(Opcodes.ILOAD), enterSlot);
                    return enterType;
                case RETURN:
                    if (mode == Mode.ENTRY || returnType.getSize() == 0) {
                        throw new IllegalArgumentException(v + " has no result to read");
                    }
                    if (mode == Mode.RETURNED) {
                        super.visitVarInsn(returnType.getOpcode(Opcodes.ILOAD), scratchSlot);
                    } else {
                        pushZero(returnType);
                    }
                    return returnType;
                case THROWN:
                    if (mode == Mode.ENTRY) {
                        throw new IllegalArgumentException(v + " at entry");
                    }
                    if (mode == Mode.THREW) {
                        super.visitVarInsn(Opcodes.ALOAD, scratchSlot);
                    } else {
                        super.visitInsn(Opcodes.ACONST_NULL);
                    }
                    return Type.getObjectType("java/lang/Throwable");
                default:
                    throw new IllegalArgumentException(String.valueOf(v));
            }
        }

        private void pushZero(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    super.visitInsn(Opcodes.LCONST_0);
                    break;
                case Type.FLOAT:
                    super.visitInsn(Opcodes.FCONST_0);
                    break;
                case Type.DOUBLE:
                    super.visitInsn(Opcodes.DCONST_0);
                    break;
                case Type.OBJECT:
                case Type.ARRAY:
                    super.visitInsn(Opcodes.ACONST_NULL);
                    break;
                default:
                    super.visitInsn(Opcodes.ICONST_0);
            }
        }

        private void requireInstance(Value v) {
            if (isStatic) {
                throw new IllegalArgumentException(v + " in a static method");
            }
        }

        private int argumentSlot(int number) {
            int slot = isStatic ? 0 : 1;
            for (int i = 0; i < number; i++) {
                slot += argumentTypes[i].getSize();
            }
            return slot;
        }

        // ------------------------------------------------------------------------- protected ranges

        private void openRange() {
            if (catchAll) {
                rangeStart = new Label();
                super.visitLabel(rangeStart);
                rangeHasCode = false;
            }
        }

        private void closeRange() {
            if (catchAll && rangeStart != null) {
                Label end = new Label();
                super.visitLabel(end);
                if (rangeHasCode) {
                    // after the method's own entries: the table is searched in order, theirs come first
                    super.visitTryCatchBlock(rangeStart, end, handler, null);
                }
                rangeStart = null;
            }
        }

        /** {@code head} (frame elements covering {@code headSlots} slots), TOP up to the original locals, ours. */
        private Object[] withNewLocals(Object[] head, int headSlots) {
            List<Object> out = new ArrayList<>(head.length + originalMaxLocals + newLocals.length);
            java.util.Collections.addAll(out, head);
            for (int slot = headSlots; slot < originalMaxLocals; slot++) {
                out.add(Opcodes.TOP);
            }
            java.util.Collections.addAll(out, newLocals);
            return out.toArray();
        }

        private static Object frameType(Type type) {
            switch (type.getSort()) {
                case Type.LONG:
                    return Opcodes.LONG;
                case Type.FLOAT:
                    return Opcodes.FLOAT;
                case Type.DOUBLE:
                    return Opcodes.DOUBLE;
                case Type.OBJECT:
                case Type.ARRAY:
                    return type.getInternalName();
                default:
                    return Opcodes.INTEGER;
            }
        }

        // ------------------------------------------------- the original instructions, passed through

        @Override
        public void visitIntInsn(int opcode, int operand) {
            rangeHasCode = true;
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            rangeHasCode = true;
            super.visitVarInsn(opcode, varIndex);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            rangeHasCode = true;
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            rangeHasCode = true;
            super.visitFieldInsn(opcode, fieldOwner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String methodOwner, String name, String descriptor,
                                    boolean isInterface) {
            rangeHasCode = true;
            super.visitMethodInsn(opcode, methodOwner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            rangeHasCode = true;
            super.visitInvokeDynamicInsn(name, descriptor, bootstrap, arguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            rangeHasCode = true;
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            rangeHasCode = true;
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            rangeHasCode = true;
            super.visitIincInsn(varIndex, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            rangeHasCode = true;
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            rangeHasCode = true;
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            rangeHasCode = true;
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }
    }
}
