package dev.obs.agent.internal;

import java.util.ArrayList;
import java.util.List;

/** What {@code GreeterAdvice} saw, with the classes it ran as; shared by every helper loader (not a helper). */
public final class DispatchLog {
    static final List<String> CALLS = new ArrayList<>();
    static final List<Class<?>> ADVICE_CLASSES = new ArrayList<>();
    static final List<Class<?>> LIBRARY_CLASSES = new ArrayList<>();

    private DispatchLog() {
    }

    static void clear() {
        CALLS.clear();
        ADVICE_CLASSES.clear();
        LIBRARY_CLASSES.clear();
    }

    public static void record(String call, Class<?> advice, Class<?> library) {
        CALLS.add(call);
        ADVICE_CLASSES.add(advice);
        LIBRARY_CLASSES.add(library);
    }
}
