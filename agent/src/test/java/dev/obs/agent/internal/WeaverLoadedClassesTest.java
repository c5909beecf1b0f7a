package dev.obs.agent.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** obs-weaver's walks over the loaded classes when the JVM is dying under them. */
class WeaverLoadedClassesTest {

    /** What JVMTI's wrong phase looks like through java.lang.instrument: null instead of an array. */
    private static Instrumentation answering(Class<?>[] loaded) {
        return (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getAllLoadedClasses")) {
                        return loaded;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aDyingJvmHasNoClassesToWalk() {
        assertEquals(0, Weaver.loadedClasses(answering(null)).length);
    }

    @Test
    void aLiveJvmsClassesAreWalkedAsGiven() {
        Class<?>[] loaded = {String.class, WeaverLoadedClassesTest.class};
        assertArrayEquals(loaded, Weaver.loadedClasses(answering(loaded)));
    }
}
