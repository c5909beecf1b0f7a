package dev.obs.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads obs's internals (agent, exporter, instrumentations and the relocated Byte Buddy, OpenTelemetry,
 * JCTools) from the {@code inst/} folder of obs.jar, where the application class loader
 * cannot see them. Its parent is the platform loader, so JDK modules and the bootstrap classes resolve
 * and nothing of the application's class path does. The packages of the libraries obs.jar carries as inner
 * jars ({@link LibraryJar}, listed in {@value #LIBRARIES}) come from those, opened when first asked for.
 */
final class AgentClassLoader extends ClassLoader {
    private static final String PREFIX = "inst/";
    /** Written at build time: one inner jar a line, its name and the patterns of its entries. */
    private static final String LIBRARIES = "META-INF/obs-libraries.txt";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;
    private final LibraryJar[] libraries;
    /**
     * The buffer class files are read into before {@code defineClass}, which copies them: one array for the
     * few hundred classes of a start instead of one each (most of a megabyte of start-up garbage). A thread
     * takes it, or reads into an array of its own while another holds it (parallel-capable loader).
     */
    private static final int MAX_KEPT_BUFFER = 256 << 10;
    private final AtomicReference<byte[]> classBuffer = new AtomicReference<>(new byte[16 << 10]);

    AgentClassLoader(JarFile jar, File jarPath) throws IOException {
        super("obs", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = "jar:" + jarPath.toURI() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(jarPath.toURI().toURL(), (Certificate[]) null), null,
                this, null);
        this.libraries = libraries(jar);
    }

    private static LibraryJar[] libraries(JarFile jar) throws IOException {
        JarEntry index = jar.getJarEntry(LIBRARIES);
        if (index == null) {
            throw new IllegalStateException(LIBRARIES + " is missing from obs.jar");
        }
        String listing;
        try (InputStream in = jar.getInputStream(index)) {
            listing = new String(readFully(in, index.getSize()), StandardCharsets.UTF_8);
        }
        List<LibraryJar> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            LibraryJar library = LibraryJar.parse(line, jar);
            if (library != null) {
                out.add(library);
            }
        }
        return out.toArray(new LibraryJar[0]);
    }

    /** The inner jar holding the entry {@code path} (without {@code inst/}), or null: obs.jar's inst/ has it. */
    private LibraryJar libraryOf(String path) {
        for (LibraryJar library : libraries) {
            if (library.holds(path)) {
                return library;
            }
        }
        return null;
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
        String path = name.replace('.', '/') + ".class";
        LibraryJar library = libraryOf(path);
        byte[] buffer = classBuffer.getAndSet(null);
        try {
            int length;
            try {
                JarFile source = library == null ? jar : library.jar();
                JarEntry entry = source.getJarEntry(library == null ? PREFIX + path : path);
                if (entry == null) {
                    throw new ClassNotFoundException(name);
                }
                long size = entry.getSize();
                if (buffer == null || size > buffer.length) {
                    buffer = null; // an unknown size, or larger: an array of its own, as before
                }
                try (InputStream in = source.getInputStream(entry)) {
                    if (buffer == null) {
                        buffer = readFully(in, size);
                        length = buffer.length;
                    } else {
                        length = readInto(in, buffer, (int) size);
                    }
                }
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
            return defineClass(name, buffer, 0, length, domain);
        } finally {
            if (buffer != null && buffer.length <= MAX_KEPT_BUFFER) {
                classBuffer.set(buffer); // defineClass copied it; a larger one taken meanwhile is only replaced
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        LibraryJar library = libraryOf(name);
        if (library != null) {
            try {
                return library.jar().getJarEntry(name) == null ? null : library.url(name);
            } catch (IOException e) {
                return null;
            }
        }
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

    /**
     * A resource of an inner jar is read from the jar this loader opened (Byte Buddy's ClassFileLocator reads
     * class files this way), not through its URL, whose connection would open and index the jar a second time.
     * The platform loader, asked first by the default, has none of those packages.
     */
    @Override
    public InputStream getResourceAsStream(String name) {
        LibraryJar library = libraryOf(name);
        if (library == null) {
            return super.getResourceAsStream(name);
        }
        try {
            JarFile source = library.jar();
            JarEntry entry = source.getJarEntry(name);
            return entry == null ? null : source.getInputStream(entry);
        } catch (IOException e) {
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
        readInto(in, bytes, bytes.length);
        return bytes;
    }

    /** Reads exactly {@code size} bytes, the whole entry, into the start of {@code buffer}; returns size. */
    private static int readInto(InputStream in, byte[] buffer, int size) throws IOException {
        int n = in.readNBytes(buffer, 0, size);
        if (n != size || in.read() != -1) {
            throw new IOException("jar entry is not " + size + " bytes long");
        }
        return size;
    }
}
