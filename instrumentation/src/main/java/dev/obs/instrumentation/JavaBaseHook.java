package dev.obs.instrumentation;

import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Methods of one java.base class that obs weaves itself, without Byte Buddy, before premain returns (the
 * JDK's file and process classes: loaded before premain, used from the first line of {@code main}): a
 * static {@link Call} at the entry, whose result the exit gets as {@link Value#ENTER}, and one at each
 * exit, normal and (when {@code onThrowable}) exceptional. The calls go to {@code dev.obs.bootstrap} hooks
 * that catch every Throwable themselves; the woven code adds no handler around them.
 *
 * <p>A description, not code: the agent's {@code JavaBaseWeaver} applies it with plain ASM visitors, which
 * load no more than a dozen classes, where Byte Buddy costs hundreds of milliseconds before its first weave.
 *
 * @param className   binary name ({@code java.io.FileInputStream})
 * @param methodNames the methods' names
 * @param parameters  the descriptor's parameter part ({@code "([BII)"}), or null for any
 * @param returns     the accepted return type descriptors, one character each ({@code "IJ"}), or null for any
 * @param modifiers   {@link Modifier} bits the method must have ({@code PUBLIC}, {@code STATIC}...), 0 for none;
 *                    an instance method unless {@code STATIC} is among them; native and abstract methods never
 * @param enter       null: no entry call
 * @param exit        the exit call, or null for none
 * @param onThrowable whether the exit call is also made when the method throws
 * @param replacedArgument -1, or the argument (0 = first declared parameter) the entry call's result replaces
 *                    before the method's own code runs (a task wrapped at submit); the entry call returns the
 *                    argument's type and there is then no {@link Value#ENTER} for the exit
 * @param afterPremain whether the class, when loaded before premain, may be retransformed after premain has
 *                    returned (nothing the program does before its first span needs it), instead of before
 */
public record JavaBaseHook(String className, List<String> methodNames, String parameters, String returns,
                           int modifiers, Call enter, Call exit, boolean onThrowable, int replacedArgument,
                           boolean afterPremain) {

    /** A hook whose entry result goes to its exit, woven before premain returns. */
    public JavaBaseHook(String className, List<String> methodNames, String parameters, String returns,
                        int modifiers, Call enter, Call exit, boolean onThrowable) {
        this(className, methodNames, parameters, returns, modifiers, enter, exit, onThrowable, -1, false);
    }

    /** Whether this describes the method with these JVM access flags, name and descriptor. */
    public boolean matches(int access, String name, String descriptor) {
        return methodNames.contains(name)
                && (access & modifiers) == modifiers
                && (access & (Modifier.NATIVE | Modifier.ABSTRACT)) == 0
                && ((access & Modifier.STATIC) != 0) == ((modifiers & Modifier.STATIC) != 0)
                && (parameters == null || descriptor.startsWith(parameters))
                && (returns == null || descriptor.length() == descriptor.indexOf(')') + 2
                        && returns.indexOf(descriptor.charAt(descriptor.length() - 1)) >= 0);
    }

    /**
     * {@code invokestatic owner.name descriptor} with {@code arguments} pushed in order. An int
     * ({@link Value#RETURN} of an int method) passed where the descriptor says long is widened.
     *
     * @param owner      internal name ({@code dev/obs/bootstrap/fs/FsHooks})
     * @param descriptor the hook's method descriptor
     */
    public record Call(String owner, String name, String descriptor, List<Value> arguments) {
        public Call(String owner, String name, String descriptor, Value... arguments) {
            this(owner, name, descriptor, List.of(arguments));
        }
    }

    /**
     * Where an argument of a call comes from. Fields are read from {@code this} when the call is made;
     * the method's arguments as they were at entry (the weaver keeps them, so no exception handler depends
     * on what the method does with its parameters).
     *
     * @param kind       what it is
     * @param name       a field's name
     * @param descriptor a field's type descriptor
     * @param number     the method's argument number (0 = first declared parameter), or the int constant
     */
    public record Value(Kind kind, String name, String descriptor, int number) {
        /** {@code this}. */
        public static final Value THIS = new Value(Kind.THIS, null, null, 0);
        /** What the entry call returned. */
        public static final Value ENTER = new Value(Kind.ENTER, null, null, 0);
        /** The method's result; 0 or null when it threw. */
        public static final Value RETURN = new Value(Kind.RETURN, null, null, 0);
        /** What the method threw; null when it returned. */
        public static final Value THROWN = new Value(Kind.THROWN, null, null, 0);

        /** A field of {@code this}, read at exit. */
        public static Value field(String name, String descriptor) {
            return new Value(Kind.FIELD, name, descriptor, 0);
        }

        /** The method's argument {@code number}, as it was at entry. */
        public static Value argument(int number) {
            return new Value(Kind.ARGUMENT, null, null, number);
        }

        /** An int constant decided when the method is woven. */
        public static Value constant(int value) {
            return new Value(Kind.CONSTANT, null, null, value);
        }
    }

    /** See {@link Value}. */
    public enum Kind {
        THIS, ENTER, RETURN, THROWN, FIELD, ARGUMENT, CONSTANT
    }
}
