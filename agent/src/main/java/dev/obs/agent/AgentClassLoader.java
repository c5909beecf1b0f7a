package dev.obs.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads obs's internals (agent, exporter, instrumentations and the relocated Byte Buddy, OpenTelemetry,
 * JCTools) from the {@code inst/} folder of obs.jar, where the application class loader
 * cannot see them. Its parent is the platform loader, so JDK modules and the bootstrap classes resolve
 * and nothing of the application's class path does.
 */
final class AgentClassLoader extends ClassLoader {
    private static final String PREFIX = "inst/";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    AgentClassLoader(JarFile jar, File jarPath) throws MalformedURLException {
        super("obs", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = "jar:" + jarPath.toURI() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(jarPath.toURI().toURL(), (Certificate[]) null), null,
                this, null);
    }

    /**
     * obs's own classes (other than the bootstrap ones, which are in the boot loader) are looked for here
     * first: asking the platform and boot loaders, which never have them, cost every one of them two misses
     * in the JVM's dictionaries.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("dev.obs.") || name.startsWith("dev.obs.bootstrap.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = PREFIX + name.replace('.', '/') + ".class";
        JarEntry entry = jar.getJarEntry(path);
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = readFully(in, entry.getSize());
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                    // another thread defined it first: fine
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        // Bootstrap classes live at the jar's root (they are defined in the boot loader, which has no
        // resources for them); Byte Buddy reads their class files from here when it describes advice.
        String path = name.startsWith("dev/obs/bootstrap/") ? name : PREFIX + name;
        if (jar.getJarEntry(path) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + path);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    /**
     * The entry's bytes, read straight into an array of its size when the jar states it (one read of a stored
     * entry) rather than through {@code readAllBytes}' 8 KiB buffers and copies.
     */
    static byte[] readFully(InputStream in, long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            return in.readAllBytes();
        }
        byte[] bytes = new byte[(int) size];
        int n = in.readNBytes(bytes, 0, bytes.length);
        if (n != bytes.length || in.read() != -1) {
            throw new IOException("jar entry is not " + size + " bytes long");
        }
        return bytes;
    }
}
