package dev.obs.exporter.docker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers the application started, as the docker-java and CLI instrumentations saw them, for the
 * exporter's stats sampler. Registering is a map put and a wake-up of the sampler: the application's
 * thread never waits for a sample. Bounded: beyond {@link #MAX} live entries new containers are not sampled.
 */
public final class ContainerRegistry {
    /** Most containers sampled at once. */
    public static final int MAX = 256;

    /** One container: what identifies it to the engine, and how to reach that engine. */
    public static final class Container {
        /** The engine's id, or the name given on the command line when the id was never seen. */
        public final String key;
        public final String name;
        public final String image;
        /** {@code unix:///path} or {@code tcp://host:port}; null for the platform default. */
        public final String endpoint;
        /** {@code docker-java} or {@code cli}. */
        public final String source;
        /** {@link System#nanoTime()} when it was registered: a name the CLI is still creating may be unknown at first. */
        public final long registeredNanos = System.nanoTime();
        /** Set when the application removed it or the engine no longer knows it. */
        public volatile boolean gone;

        Container(String key, String name, String image, String endpoint, String source) {
            this.key = key;
            this.name = name;
            this.image = image;
            this.endpoint = endpoint;
            this.source = source;
        }
    }

    private static final ConcurrentHashMap<String, Container> CONTAINERS = new ConcurrentHashMap<>();
    /** What a new sighting wakes (the exporter's stats sampler); null until the exporter installs it. */
    private static volatile Runnable onSighting;

    private ContainerRegistry() {
    }

    /**
     * A container was created or started. A later sighting fills in what an earlier one lacked (a start
     * after a create keeps the create's name and image).
     */
    public static void seen(String key, String name, String image, String endpoint, String source) {
        if (key == null || key.isEmpty()) {
            return;
        }
        Container old = CONTAINERS.get(key);
        if (old == null && CONTAINERS.size() >= MAX) {
            return;
        }
        if (old == null || old.gone || (old.name == null && name != null)) {
            CONTAINERS.put(key, new Container(key, name != null ? name : old == null ? null : old.name,
                    image != null ? image : old == null ? null : old.image,
                    endpoint != null ? endpoint : old == null ? null : old.endpoint, source));
        }
        Runnable wake = onSighting;
        if (wake != null) {
            // a first sample now rather than an interval later: short containers are seen too
            wake.run();
        }
    }

    /** The application removed the container: sampling stops. */
    public static void gone(String key) {
        Container c = key == null ? null : CONTAINERS.get(key);
        if (c != null) {
            c.gone = true;
        }
    }

    /** Containers not yet gone. */
    public static List<Container> live() {
        List<Container> out = new ArrayList<>();
        for (Container c : CONTAINERS.values()) {
            if (!c.gone) {
                out.add(c);
            }
        }
        return out;
    }

    /** Forgets a container that is gone (called by the sampler once its last values are kept). */
    public static void forget(Container c) {
        CONTAINERS.remove(c.key, c);
    }

    /**
     * Installs what to run, on the application's thread, when a container is seen: it must neither block
     * nor throw (the exporter's sampler unparks its thread).
     */
    public static void onSighting(Runnable wake) {
        onSighting = wake;
    }
}
