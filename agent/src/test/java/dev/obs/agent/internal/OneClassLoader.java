package dev.obs.agent.internal;

/**
 * Defines one class itself from the bytes it is given (so the JVM verifies them: a wrong frame is a
 * VerifyError here) and takes every other class from its parent, the test's loader.
 */
class OneClassLoader extends ClassLoader {
    private final String className;
    private final byte[] bytes;

    OneClassLoader(String className, byte[] bytes) {
        super(OneClassLoader.class.getClassLoader());
        this.className = className;
        this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            if (!name.equals(className)) {
                return super.loadClass(name, resolve);
            }
            Class<?> c = findLoadedClass(name);
            return c != null ? c : defineClass(name, bytes, 0, bytes.length);
        }
    }
}
