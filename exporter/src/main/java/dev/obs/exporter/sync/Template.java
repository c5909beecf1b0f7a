package dev.obs.exporter.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * One value of a sync rule as written: a constant ({@code 1}, {@code "ok"}) or a path from a call's
 * argument, result or receiver: {@code {{arg0}}}, {@code {{arg0.entries.size}}}, {@code {{return}}},
 * {@code {{return.count}}}, {@code {{this.peerId}}}.
 */
public final class Template {
    /** What a path starts from. */
    public enum Root { CONSTANT, ARGUMENT, RETURN, THIS }

    public final String text;
    public final Root root;
    /** The argument's index for {@link Root#ARGUMENT}. */
    public final int argument;
    /** Member names after the root, in order. */
    public final List<String> path;
    /** The constant for {@link Root#CONSTANT}. */
    public final String constant;

    private Template(String text, Root root, int argument, List<String> path, String constant) {
        this.text = text;
        this.root = root;
        this.argument = argument;
        this.path = path;
        this.constant = constant;
    }

    /**
     * Parses one template.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Template parse(String text) {
        String t = text.trim();
        int open = t.indexOf("{{");
        if (open < 0) {
            if (t.contains("}}")) {
                throw new IllegalArgumentException("'}}' without '{{'");
            }
            return new Template(text, Root.CONSTANT, -1, List.of(), t);
        }
        if (open != 0 || !t.endsWith("}}") || t.indexOf("{{", 2) >= 0) {
            throw new IllegalArgumentException("a template is one {{...}} and nothing around it");
        }
        String inner = t.substring(2, t.length() - 2).trim();
        String[] parts = inner.split("\\.", -1);
        List<String> path = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            if (!isIdentifier(parts[i])) {
                throw new IllegalArgumentException("'" + parts[i] + "' is not a member name");
            }
            path.add(parts[i]);
        }
        String head = parts[0];
        if (head.equals("return")) {
            return new Template(text, Root.RETURN, -1, List.copyOf(path), null);
        }
        if (head.equals("this")) {
            if (path.isEmpty()) {
                throw new IllegalArgumentException("{{this}} needs a member: {{this.name}}");
            }
            return new Template(text, Root.THIS, -1, List.copyOf(path), null);
        }
        if (head.startsWith("arg") && head.length() > 3 && head.length() <= 6
                && head.substring(3).chars().allMatch(Character::isDigit)) {
            return new Template(text, Root.ARGUMENT, Integer.parseInt(head.substring(3)), List.copyOf(path), null);
        }
        throw new IllegalArgumentException("'" + head + "' is not argN, return or this");
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
