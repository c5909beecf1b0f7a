package dev.obs.it.harness;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One child run per key (a JDK, a JGit version), shared by the scenario methods of a test class: each
 * scenario is a test method of its own, so a failure names what broke, and the class still starts each
 * child JVM once. The first scenario that asks for a key runs its setup; a setup that threw fails every
 * scenario asking for that key, with the same cause, without running again.
 *
 * <p>Register it as {@code @RegisterExtension static final SharedRuns<K, V> runs = new SharedRuns<>(...)}:
 * after the class's last test it closes every value that is {@link AutoCloseable} (a receiver, say).
 */
public final class SharedRuns<K, V> implements AfterAllCallback {
    /** Runs the child for one key and returns what the scenarios check. */
    @FunctionalInterface
    public interface Setup<K, V> {
        V run(K key) throws Exception;
    }

    private final Setup<K, V> setup;
    private final Map<K, V> done = new LinkedHashMap<>();
    private final Map<K, Throwable> failed = new HashMap<>();

    public SharedRuns(Setup<K, V> setup) {
        this.setup = setup;
    }

    /** The run for {@code key}, made by the first caller. */
    public synchronized V get(K key) {
        V value = done.get(key);
        if (value != null) {
            return value;
        }
        Throwable cause = failed.get(key);
        if (cause == null) {
            try {
                value = setup.run(key);
                done.put(key, value);
                return value;
            } catch (Throwable t) {
                failed.put(key, t);
                cause = t;
            }
        }
        throw new AssertionError("the shared run for " + key + " failed: " + cause, cause);
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws Exception {
        for (V value : done.values()) {
            if (value instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        done.clear();
        failed.clear();
    }
}
