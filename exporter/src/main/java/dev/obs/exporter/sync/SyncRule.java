package dev.obs.exporter.sync;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the configuration file's {@code sync} list, checked: a class, a method (every overload or
 * one signature), a kind and the templates of the values that kind reads.
 */
public final class SyncRule {
    /** Kinds with a meaning of their own; any other name is a custom operation, counted and timed. */
    public static final Set<String> KNOWN_KINDS = Set.of("state", "broadcast", "receive", "apply", "backfill",
            "backfill_page", "retry", "conflict", "conflict_resolved", "watermark", "clock", "queue", "db",
            "connect", "disconnect");
    /** The value keys a rule may carry. */
    public static final Set<String> VALUE_KEYS = Set.of("state", "reason", "peer", "peer_name", "model",
            "records", "bytes", "direction", "outcome", "time", "drift", "queue", "depth", "resolution");

    /** How the rule is named in warnings and in {@code obs.sync.template.failures{rule}}. */
    public final String name;
    public final String className;
    public final String methodName;
    /** Null: every overload. */
    public final List<String> parameterTypes;
    public final String kind;
    /** Value key to template, in the order written. */
    public final Map<String, Template> values;

    private SyncRule(String name, String className, String methodName, List<String> parameterTypes, String kind,
                     Map<String, Template> values) {
        this.name = name;
        this.className = className;
        this.methodName = methodName;
        this.parameterTypes = parameterTypes;
        this.kind = kind;
        this.values = values;
    }

    /**
     * Checks one entry as the YAML parser gave it.
     *
     * @param index the entry's position in the list, from 0
     * @throws IllegalArgumentException saying what is wrong, for a one-line warning
     */
    public static SyncRule of(int index, Object entry) {
        if (!(entry instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("sync[" + index + "] is not a mapping of class, method, kind, ...");
        }
        String className = text(map, "class", index);
        String method = text(map, "method", index);
        String kind = text(map, "kind", index).toLowerCase(Locale.ROOT);
        String name = map.get("name") instanceof String n && !n.isBlank() ? n.trim()
                : "sync[" + index + "] " + className + "." + method;
        if (!isBinaryName(className)) {
            throw new IllegalArgumentException(name + ": class '" + className + "' is not a binary class name");
        }
        if (!kind.matches("[a-z][a-z0-9_.]{0,63}")) {
            throw new IllegalArgumentException(name + ": kind '" + kind + "' is not a name (letters, digits, _ and .)");
        }
        List<String> parameters = null;
        String methodName = method;
        int open = method.indexOf('(');
        if (open >= 0) {
            if (!method.endsWith(")")) {
                throw new IllegalArgumentException(name + ": method '" + method + "' is not name or name(Type, ...)");
            }
            methodName = method.substring(0, open).trim();
            parameters = new ArrayList<>();
            String inside = method.substring(open + 1, method.length() - 1).trim();
            if (!inside.isEmpty()) {
                for (String p : inside.split(",")) {
                    String type = p.trim();
                    if (!isBinaryName(type.replace("[]", ""))) {
                        throw new IllegalArgumentException(name + ": parameter type '" + type + "' is not a type name");
                    }
                    parameters.add(type);
                }
            }
            parameters = Collections.unmodifiableList(parameters);
        }
        if (!isBinaryName(methodName) || methodName.contains(".")) {
            throw new IllegalArgumentException(name + ": method '" + method + "' is not name or name(Type, ...)");
        }
        Map<String, Template> values = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("class") || key.equals("method") || key.equals("kind") || key.equals("name")) {
                continue;
            }
            if (!VALUE_KEYS.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown key '" + key + "' (known: " + sorted(VALUE_KEYS)
                        + ")");
            }
            Object v = e.getValue();
            if (v == null || v instanceof Map || v instanceof List) {
                throw new IllegalArgumentException(name + ": " + key + " is not a template or a constant");
            }
            try {
                values.put(key, Template.parse(String.valueOf(v)));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(name + ": " + key + ": '" + v + "' is not a template ("
                        + bad.getMessage() + ")");
            }
        }
        requireFor(name, kind, values, "state", "state");
        requireFor(name, kind, values, "watermark", "peer", "time");
        requireFor(name, kind, values, "clock", "drift");
        requireFor(name, kind, values, "queue", "queue", "depth");
        requireFor(name, kind, values, "connect", "peer");
        requireFor(name, kind, values, "disconnect", "peer");
        return new SyncRule(name, className, methodName, parameters, kind, Collections.unmodifiableMap(values));
    }

    /** True when a method with these parameter types (binary names, arrays as {@code int[]}) is meant. */
    public boolean parametersMatch(List<String> binaryNames) {
        if (parameterTypes == null) {
            return true;
        }
        if (parameterTypes.size() != binaryNames.size()) {
            return false;
        }
        for (int i = 0; i < binaryNames.size(); i++) {
            String wanted = parameterTypes.get(i);
            String actual = binaryNames.get(i);
            int cut = Math.max(actual.lastIndexOf('.'), actual.lastIndexOf('$'));
            if (!wanted.equals(actual) && !wanted.equals(actual.substring(cut + 1))) {
                return false;
            }
        }
        return true;
    }

    /** The signature as written, {@code (Change,int)}, or empty for every overload. */
    public String signature() {
        return parameterTypes == null ? "" : "(" + String.join(",", parameterTypes) + ")";
    }

    private static void requireFor(String name, String kind, Map<String, Template> values, String forKind,
                                   String... keys) {
        if (kind.equals(forKind)) {
            for (String k : keys) {
                if (!values.containsKey(k)) {
                    throw new IllegalArgumentException(name + ": kind " + kind + " needs '" + k + "'");
                }
            }
        }
    }

    private static String text(Map<?, ?> map, String key, int index) {
        Object v = map.get(key);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("sync[" + index + "] has no '" + key + "'");
        }
        return s.trim();
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new java.util.TreeSet<>(keys));
    }

    /** Identifiers separated by dots; {@code $} is an identifier character, so nested classes pass. */
    static boolean isBinaryName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (String part : s.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.charAt(0))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                if (!Character.isJavaIdentifierPart(part.charAt(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a template of this rule reads the method's result ({@code {{return}}}, {@code {{return.x}}}). */
    public boolean usesResult() {
        for (Template t : values.values()) {
            if (t.root == Template.Root.RETURN) {
                return true;
            }
        }
        return false;
    }
}
