package dev.obs.bootstrap.sync;

/**
 * The one door from advice woven into a program's sync classes (and into {@code dev.obs.api.Sync}) to the
 * sync family's code in the agent's class loader. The program's classes are not a library obs compiles
 * against, so the advice cannot call typed code; it hands over what the call saw, and the installed
 * {@link Handler} (template handles resolved once per woven method) makes records of it. Here because
 * advice in any class loader must see it; nothing else of the family is.
 *
 * <p>Memory ordering: the handler is published once through a volatile field before the first woven class
 * can load; a call finding it null records nothing.
 */
public final class SyncHooks {
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

    private SyncHooks() {
    }

    /** Installed by the agent at start, before any sync rule is woven. */
    public static void install(Handler h) {
        handler = h;
    }

    /** Entry of a declared method: the time it started. */
    public static long enter() {
        return System.nanoTime();
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
