package dev.obs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;

/**
 * A muzzle-like check of the library families: every class, method and field of the library (and of the
 * bootstrap) that the advice and helpers in obs.jar reference resolves against the oldest and newest library
 * version the family supports (JGit 6.10 and the 7.x the build pins; docker-java as pinned; Maven 3.8 and 3.9), so a version that renamed or removed one is found here rather than as a
 * lost attribute in production. Reads the built obs.jar's family packages; resolves each reference in a
 * loader over that jar's bootstrap classes and the library's jars.
 */
class HelperReferencesTest {
    private static final String GIT = "dev/obs/instrumentation/git/";
    private static final String DOCKER = "dev/obs/instrumentation/docker/";
    private static final String MAVEN = "dev/obs/instrumentation/maven/";

    @Test
    void theGitFamilysReferencesResolveAgainstJGit610() throws Exception {
        assertEquals(Set.of(), unresolved(GIT, withJGitDependencies(JGitJars.jgit610())));
    }

    @Test
    void theGitFamilysReferencesResolveAgainstTheJGitTheBuildPins() throws Exception {
        assertEquals(Set.of(), unresolved(GIT, withJGitDependencies(jarOf(Git.class))));
    }

    @Test
    void theDockerFamilysReferencesResolveAgainstDockerJava() throws Exception {
        assertEquals(Set.of(), unresolved(DOCKER, classPathJarsWith("docker-java", "jackson", "guava",
                "commons", "bcp", "slf4j", "annotations", "jna")));
    }

    @Test
    void theMavenFamilysReferencesResolveAgainstMaven38() throws Exception {
        assertEquals(Set.of(), unresolved(MAVEN, mavenLib(dev.obs.it.maven.MavenDistribution.installed())));
    }

    @Test
    void theMavenFamilysReferencesResolveAgainstMaven39() throws Exception {
        assertEquals(Set.of(), unresolved(MAVEN, mavenLib(dev.obs.it.maven.MavenDistribution.maven39())));
    }

    /** Maven's core realm: the jars of its {@code lib} directory, and of {@code boot} (plexus-classworlds). */
    private static Path[] mavenLib(dev.obs.it.maven.MavenDistribution maven) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (String dir : List.of("boot", "lib")) {
            try (var files = java.nio.file.Files.list(maven.home().resolve(dir))) {
                files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
        }
        return jars.toArray(Path[]::new);
    }

    @Test
    void withoutTheLibraryTheCheckReportsItsReferences() throws Exception {
        Set<String> missing = unresolved(GIT);
        assertTrue(missing.contains("class org/eclipse/jgit/api/GitCommand"), missing.toString());
        assertFalse(missing.stream().anyMatch(r -> r.contains("dev/obs/bootstrap/")), "bootstrap refs resolve: " + missing);
    }

    /** The references of the family's classes in obs.jar that do not resolve with {@code libraryJars}. */
    private static Set<String> unresolved(String familyPackage, Path... libraryJars) throws Exception {
        Path obsJar = AgentJvm.agentJarFromBuild();
        List<URL> urls = new ArrayList<>();
        urls.add(obsJar.toUri().toURL()); // its root holds dev/obs/bootstrap
        for (Path jar : libraryJars) {
            urls.add(jar.toUri().toURL());
        }
        Set<String> references = new TreeSet<>();
        int classes = 0;
        try (JarFile jar = new JarFile(obsJar.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith("inst/" + familyPackage) && name.endsWith(".class")
                        && name.indexOf('/', ("inst/" + familyPackage).length()) < 0) {
                    try (InputStream in = jar.getInputStream(e)) {
                        collect(in.readAllBytes(), familyPackage, references);
                    }
                    classes++;
                }
            }
        }
        assertTrue(classes >= 3, "the family's classes are in obs.jar: " + classes);
        Set<String> missing = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            for (String ref : references) {
                if (!resolves(ref, loader)) {
                    missing.add(ref);
                }
            }
        }
        return missing;
    }

    /** {@code class owner}, {@code method owner.name descriptor}, {@code field owner.name descriptor}. */
    private static void collect(byte[] classFile, String familyPackage, Set<String> out) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        add("method " + owner + "." + n + " " + d, owner);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String n, String d) {
                        add("field " + owner + "." + n + " " + d, owner);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        if (!type.startsWith("[")) {
                            add("class " + type, type);
                        }
                    }

                    private void add(String reference, String owner) {
                        if (owner.startsWith("[") || owner.startsWith("java/") || owner.startsWith("javax/")) {
                            return;
                        }
                        // the family's own classes and obs's other shared ones are built with it
                        if (owner.startsWith("dev/obs/") && !owner.startsWith("dev/obs/bootstrap/")) {
                            return;
                        }
                        if (!owner.startsWith(familyPackage)) {
                            out.add(reference);
                            out.add("class " + owner);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
    }

    private static boolean resolves(String reference, ClassLoader loader) {
        String[] parts = reference.split(" ");
        String owner = parts[0].equals("class") ? parts[1] : parts[1].substring(0, parts[1].lastIndexOf('.'));
        Class<?> type;
        try {
            type = Class.forName(owner.replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        if (parts[0].equals("class")) {
            return true;
        }
        String member = parts[1].substring(parts[1].lastIndexOf('.') + 1);
        try {
            return parts[0].equals("method") ? hasMethod(type, member, parts[2]) : hasField(type, member, parts[2]);
        } catch (LinkageError e) {
            return false;
        }
    }

    private static boolean hasMethod(Class<?> type, String name, String descriptor) {
        if (type == null) {
            return false;
        }
        if (name.equals("<init>")) {
            for (var c : type.getDeclaredConstructors()) {
                if (Type.getConstructorDescriptor(c).equals(descriptor)) {
                    return true;
                }
            }
            return false;
        }
        for (Method m : type.getDeclaredMethods()) {
            if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(descriptor)) {
                return true;
            }
        }
        for (Class<?> i : type.getInterfaces()) {
            if (hasMethod(i, name, descriptor)) {
                return true;
            }
        }
        return hasMethod(type.getSuperclass(), name, descriptor)
                || type.isInterface() && hasMethod(Object.class, name, descriptor);
    }

    private static boolean hasField(Class<?> type, String name, String descriptor) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && Type.getDescriptor(f.getType()).equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** JGit's jar with the libraries its signatures name (the same as JGitJars gives the test apps). */
    private static Path[] withJGitDependencies(Path jgit) throws Exception {
        return new Path[] {jgit, jarOf(Class.forName("com.googlecode.javaewah.EWAHCompressedBitmap")),
            jarOf(Class.forName("org.slf4j.LoggerFactory")), jarOf(Class.forName("org.apache.commons.codec.binary.Hex"))};
    }

    /** The test class path's jars whose file names contain one of {@code parts}: docker-java and its dependencies. */
    private static Path[] classPathJarsWith(String... parts) {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.endsWith(".jar") && java.util.Arrays.stream(parts).anyMatch(file::contains)) {
                out.add(Path.of(entry));
            }
        }
        assertTrue(out.stream().anyMatch(p -> p.getFileName().toString().startsWith("docker-java-api")), out.toString());
        return out.toArray(new Path[0]);
    }

    private static Path jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
