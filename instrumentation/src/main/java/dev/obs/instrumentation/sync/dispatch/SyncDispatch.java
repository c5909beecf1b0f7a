package dev.obs.instrumentation.sync.dispatch;

/**
 * Where the sync family's advice (dispatched by invokedynamic into a helper loader next to the program's
 * classes, see {@code HelperDispatch}) hands each call of a declared method: one per JVM, in the agent's
 * loader (a subpackage of the family's, so every helper loader shares it). The program's classes are not a
 * library obs compiles against, so the advice hands over what the call saw, and the installed
 * {@link Handler} (template handles resolved once per woven method) makes records of it.
 *
 * <p>Memory ordering: the handler is published once through a volatile field before the first woven class
 * can load; a call finding it null records nothing.
 */
public final class SyncDispatch {
    /** What the sync family does with one call of a declared method. Must not throw (advice suppresses anyway). */
    public interface Handler {
        /**
         * @param type       the woven class (not the runtime class of {@code self})
         * @param method     the method's name and descriptor, a constant woven in: {@code apply(Lcom/acme/Change;)Z}
         * @param self       the receiver, or null for a static method
         * @param args       the arguments as passed
         * @param returned   the return value (boxed), or null
         * @param thrown     what the method threw, or null
         * @param startNanos {@link System#nanoTime()} at entry
         */
        void onExit(Class<?> type, String method, Object self, Object[] args, Object returned, Throwable thrown,
                    long startNanos);
    }

    private static volatile Handler handler;

    private SyncDispatch() {
    }

    /** Installed by the agent at start, before any sync rule is woven. */
    public static void install(Handler h) {
        handler = h;
    }

    /** Exit of a declared method, normal or by an exception. */
    public static void exit(Class<?> type, String method, Object self, Object[] args, Object returned,
                            Throwable thrown, long startNanos) {
        Handler h = handler;
        if (h != null) {
            h.onExit(type, method, self, args, returned, thrown, startNanos);
        }
    }
}
