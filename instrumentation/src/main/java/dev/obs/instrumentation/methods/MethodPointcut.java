package dev.obs.instrumentation.methods;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code obs.methods.include}: a class and the methods of it to trace, written
 * {@code com.acme.Repo[sync,push]} or {@code com.acme.Job[*]}; entries are separated by {@code ;}.
 *
 * @param className binary class name
 * @param methods   method names, or empty for every method the class declares
 */
public record MethodPointcut(String className, List<String> methods) {
    /** Java identifiers separated by dots. By hand, not a regex: this is parsed in premain, where compiling one costs milliseconds. */
    static boolean isClassName(String s) {
        int start = 0;
        for (int dot; (dot = s.indexOf('.', start)) >= 0; start = dot + 1) {
            if (!isIdentifier(s, start, dot)) {
                return false;
            }
        }
        return isIdentifier(s, start, s.length());
    }

    /** {@code s[from, to)} is a Java identifier (a start code point, then part code points). */
    static boolean isIdentifier(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; ) {
            int c = s.codePointAt(i);
            if (i == from ? !Character.isJavaIdentifierStart(c) : !Character.isJavaIdentifierPart(c)) {
                return false;
            }
            i += Character.charCount(c);
        }
        return true;
    }

    /** True when every declared method of the class is traced. */
    public boolean allMethods() {
        return methods.isEmpty();
    }

    /**
     * Parses a whole {@code obs.methods.include} value.
     *
     * @throws IllegalArgumentException naming the first malformed entry
     */
    public static List<MethodPointcut> parseList(String value) {
        List<MethodPointcut> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String entry : value.split(";")) {
            if (!entry.isBlank()) {
                out.add(parse(entry.trim()));
            }
        }
        return out;
    }

    static MethodPointcut parse(String entry) {
        int open = entry.indexOf('[');
        if (open <= 0 || !entry.endsWith("]") || entry.indexOf('[', open + 1) >= 0) {
            throw new IllegalArgumentException("entry '" + entry + "' is not Class[method,...] or Class[*]");
        }
        String className = entry.substring(0, open).trim();
        if (!isClassName(className)) {
            throw new IllegalArgumentException("'" + className + "' is not a class name");
        }
        String inside = entry.substring(open + 1, entry.length() - 1).trim();
        if (inside.equals("*")) {
            return new MethodPointcut(className, List.of());
        }
        List<String> methods = new ArrayList<>();
        for (String m : inside.split(",")) {
            String name = m.trim();
            if (!isIdentifier(name, 0, name.length())) {
                throw new IllegalArgumentException("'" + name + "' in entry '" + entry + "' is not a method name");
            }
            methods.add(name);
        }
        return new MethodPointcut(className, List.copyOf(methods));
    }
}
