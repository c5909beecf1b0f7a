package dev.obs.exporter.sync;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Template} made ready for one woven method: each member step holds a method handle (getter
 * {@code getA()}/{@code isA()}/{@code a()}, field, map key, array length) found the first time the step
 * sees a class, and kept while the values keep that class (a one-entry cache per step, so reflection runs
 * once per woven method and class, never per call). A step that cannot give a value returns a
 * {@link Failure} naming why, allocated once per step.
 *
 * <p>Memory ordering: a step's cache is an immutable object in a volatile field; two threads that both miss
 * resolve the same handle and the last write wins.
 */
final class ValuePath {
    /** Why a template gave no value. */
    static final class Failure {
        final String why;

        Failure(String why) {
            this.why = why;
        }
    }

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodHandle MAP_GET;

    static {
        try {
            MAP_GET = MethodHandles.publicLookup().findVirtual(Map.class, "get",
                    MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Template template;
    private final Step[] steps;
    private final Failure missingArgument;
    private final Failure nullRoot;

    ValuePath(Template template) {
        this.template = template;
        this.steps = new Step[template.path.size()];
        StringBuilder prefix = new StringBuilder(rootName(template));
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new Step(template.path.get(i), prefix.toString());
            prefix.append('.').append(template.path.get(i));
        }
        this.missingArgument = new Failure("the method has no argument " + template.argument);
        this.nullRoot = new Failure(rootName(template) + " is null");
    }

    private static String rootName(Template t) {
        return switch (t.root) {
            case ARGUMENT -> "arg" + t.argument;
            case RETURN -> "return";
            case THIS -> "this";
            case CONSTANT -> t.constant;
        };
    }

    /** The value, or a {@link Failure}. A constant is its text. */
    Object evaluate(Object self, Object[] args, Object returned) {
        Object v;
        switch (template.root) {
            case CONSTANT:
                return template.constant;
            case ARGUMENT:
                if (args == null || template.argument >= args.length) {
                    return missingArgument;
                }
                v = args[template.argument];
                break;
            case RETURN:
                v = returned;
                break;
            default:
                v = self;
        }
        if (v == null) {
            return nullRoot;
        }
        for (Step step : steps) {
            v = step.apply(v);
            if (v instanceof Failure) {
                return v;
            }
        }
        return v;
    }

    /** One {@code .name} of a path. */
    private static final class Step {
        private final String name;
        private final Failure isNull;
        private volatile Resolved cache;

        Step(String name, String before) {
            this.name = name;
            this.isNull = new Failure(before + "." + name + " is null");
        }

        Object apply(Object target) {
            Class<?> type = target.getClass();
            Resolved r = cache;
            if (r == null || r.type != type) {
                r = resolve(type, name);
                cache = r;
            }
            switch (r.direct) {
                case COLLECTION_SIZE:
                    return ((Collection<?>) target).size();
                case MAP_SIZE:
                    return ((Map<?, ?>) target).size();
                case CHARS_LENGTH:
                    return ((CharSequence) target).length();
                default:
                    break;
            }
            if (r.handle == null) {
                return r.failure;
            }
            try {
                Object v = (Object) r.handle.invokeExact(target);
                return v == null ? isNull : v;
            } catch (Throwable t) {
                return new Failure("reading " + name + " of " + type.getName() + " threw " + t.getClass().getName());
            }
        }
    }

    /** Read by a handle. */
    private static final int HANDLE = 0;
    /** The size of a JDK collection, read by a plain interface call (a handle invoked from a field is not inlined). */
    private static final int COLLECTION_SIZE = 1;
    private static final int MAP_SIZE = 2;
    private static final int CHARS_LENGTH = 3;

    private record Resolved(Class<?> type, MethodHandle handle, Failure failure, int direct) {
        Resolved(Class<?> type, MethodHandle handle, Failure failure) {
            this(type, handle, failure, HANDLE);
        }
    }

    static Resolved resolve(Class<?> type, String name) {
        // A JDK collection, map or string has no getSize()/isSize()/length field of its own that the general
        // order below would find first, so size/length is what its own method says.
        if (type.getName().startsWith("java.") && (name.equals("size") || name.equals("length"))) {
            if (Collection.class.isAssignableFrom(type)) {
                return new Resolved(type, null, null, COLLECTION_SIZE);
            }
            if (Map.class.isAssignableFrom(type) && name.equals("size")) {
                return new Resolved(type, null, null, MAP_SIZE);
            }
            if (CharSequence.class.isAssignableFrom(type)) {
                return new Resolved(type, null, null, CHARS_LENGTH);
            }
        }
        try {
            MethodHandle h = find(type, name);
            if (h != null) {
                return new Resolved(type, h.asType(GETTER), null);
            }
        } catch (RuntimeException e) {
            // reported as no member below
        }
        return new Resolved(type, null, new Failure(type.getName() + " has no readable getter, field or key '"
                + name + "'"));
    }

    private static MethodHandle find(Class<?> type, String name) {
        if (type.isArray() && (name.equals("length") || name.equals("size"))) {
            return MethodHandles.arrayLength(type);
        }
        String capital = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String candidate : new String[] {"get" + capital, "is" + capital, name}) {
            MethodHandle h = method(type, candidate);
            if (h != null) {
                return h;
            }
        }
        MethodHandle f = field(type, name);
        if (f != null) {
            return f;
        }
        if (Map.class.isAssignableFrom(type)) {
            return MethodHandles.insertArguments(MAP_GET, 1, name);
        }
        if (name.equals("size") || name.equals("length")) {
            if (Collection.class.isAssignableFrom(type)) {
                return method(Collection.class, "size");
            }
            if (CharSequence.class.isAssignableFrom(type)) {
                return method(CharSequence.class, "length");
            }
        }
        return null;
    }

    /** A no-argument instance method with a result, from the class, its superclasses, then its interfaces. */
    private static MethodHandle method(Class<?> type, String name) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                        && m.getReturnType() != void.class && !m.isSynthetic()) {
                    MethodHandle h = unreflect(k, m);
                    if (h != null) {
                        return h;
                    }
                }
            }
        }
        for (Class<?> i : interfaces(type)) {
            try {
                Method m = i.getMethod(name);
                if (m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())) {
                    MethodHandle h = unreflect(i, m);
                    if (h != null) {
                        return h;
                    }
                }
            } catch (NoSuchMethodException ignored) {
                // next interface
            }
        }
        return null;
    }

    private static MethodHandle field(Class<?> type, String name) {
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    try {
                        return lookupIn(k).unreflectGetter(f);
                    } catch (IllegalAccessException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static MethodHandle unreflect(Class<?> owner, Method m) {
        try {
            return lookupIn(owner).unreflect(m);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    /** Private access where the class's module opens it (the program's classes), else public access only. */
    private static MethodHandles.Lookup lookupIn(Class<?> k) {
        try {
            return MethodHandles.privateLookupIn(k, LOOKUP);
        } catch (IllegalAccessException | RuntimeException e) {
            return MethodHandles.publicLookup();
        }
    }

    private static Set<Class<?>> interfaces(Class<?> type) {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (Class<?> k = type; k != null; k = k.getSuperclass()) {
            todo.addAll(java.util.List.of(k.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (out.add(i)) {
                todo.addAll(java.util.List.of(i.getInterfaces()));
            }
        }
        return out;
    }
}
