package dev.obs.agent.internal;

import java.util.ArrayList;
import java.util.List;

/** The hooks {@link JavaBaseWeaverTest} weaves into {@link HookTarget}: each call is written down. */
public final class HookLog {
    static final List<String> CALLS = new ArrayList<>();
    static final List<Object> VALUES = new ArrayList<>();
    private static int entries;

    private HookLog() {
    }

    static void clear() {
        CALLS.clear();
        VALUES.clear();
        entries = 0;
    }

    public static Object enter(Object self) {
        String token = "t" + ++entries;
        CALLS.add("enter " + token);
        return token;
    }

    public static void exit(Object token, Object fd, String path, long n, Throwable thrown) {
        CALLS.add("exit " + token + " " + path + " " + n + " " + name(thrown));
        VALUES.add(fd);
        VALUES.add(thrown);
    }

    public static void written(Object token, int constant, int len, Throwable thrown) {
        CALLS.add("written " + token + " " + constant + " " + len + " " + name(thrown));
        VALUES.add(thrown);
    }

    public static void opened(String a, String b) {
        CALLS.add("opened " + a + " " + b);
    }

    public static String bracketed(String s) {
        CALLS.add("bracketed " + s);
        return "<" + s + ">";
    }

    public static int plusHundred(int n) {
        CALLS.add("plusHundred " + n);
        return n + 100;
    }

    private static String name(Throwable t) {
        return t == null ? "-" : t.getClass().getSimpleName();
    }
}
