package dev.obs.it;

import dev.obs.it.harness.AgentJvm;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * obs.jar's libraries log through obs's silent stand-in for {@code java.util.logging} (the shading step
 * relocates that package to {@value #SHIM}), so the exporter never initialises the JDK's {@code LogManager}.
 * The stand-in declares only what those libraries call: after a library upgrade, a call it lacks would be a
 * {@code NoSuchMethodError} on some rare export path, so every reference in obs.jar is checked here, in the
 * class files' linkage (instructions and descriptors; Kotlin metadata strings are not linkage).
 */
class ShadedLoggingTest {
    private static final String SHIM = "dev/obs/exporter/jul/";
    private static final String JUL = "java/util/logging/";

    @Test
    void noClassOfObsJarLinksToJavaUtilLoggingAndEveryStandInMemberItCallsExists() throws IOException {
        List<String> julReferences = new ArrayList<>();
        Set<String> shimReferences = new TreeSet<>();
        Set<String> shimMembers = new HashSet<>();
        int classes = 0;
        List<ClassReader> readers = new ArrayList<>();
        try (JarFile jar = new JarFile(AgentJvm.agentJarFromBuild().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.getName().startsWith("inst/lib/") && entry.getName().endsWith(".jar")) {
                    readInnerJar(jar, entry, readers); // OkHttp's and Byte Buddy's classes are in there
                } else if (entry.getName().endsWith(".class") && !entry.getName().endsWith("module-info.class")) {
                    readers.add(read(jar, entry));
                }
            }
        }
        assertTrue(readers.stream().anyMatch(r -> r.getClassName().startsWith("dev/obs/shaded/okhttp3/")),
                "the inner jars were read");
        for (ClassReader reader : readers) {
            classes++;
            String name = reader.getClassName();
            Linkage linkage = linkage(reader);
            if (name.startsWith(SHIM)) {
                shimMembers.add(name);
                linkage.declared.forEach(m -> shimMembers.add(name + "." + m));
            }
            for (String ref : linkage.references) {
                if (ref.contains(JUL)) {
                    julReferences.add(name + " -> " + ref);
                }
                if (ref.startsWith(SHIM) && !ref.startsWith(name + ".") && !ref.equals(name)) {
                    shimReferences.add(ref);
                }
            }
        }
        assertTrue(classes > 1000, "obs.jar read: " + classes + " classes");
        assertTrue(julReferences.isEmpty(), "obs.jar links to java.util.logging: " + julReferences);
        // the shaded libraries did get the stand-in (a relocation that matched nothing would pass the line above)
        assertTrue(shimReferences.stream().anyMatch(r -> r.startsWith(SHIM + "Logger.getLogger(")),
                "no Logger.getLogger of the stand-in in obs.jar: " + shimReferences);
        Set<String> missing = new TreeSet<>(shimReferences);
        missing.removeAll(shimMembers);
        assertEquals(Set.of(), missing, "called in obs.jar but not declared by the stand-in " + SHIM);
    }

    /** The positive control of the scan: the unshaded SDK's class links to java.util.logging, and is seen to. */
    @Test
    void theScanFindsTheUnshadedSdksJavaUtilLoggingCalls() throws IOException {
        String sdkClass = "io/opentelemetry/sdk/trace/export/BatchSpanProcessor.class";
        try (InputStream in = ClassLoader.getSystemResourceAsStream(sdkClass)) {
            assertTrue(in != null, sdkClass + " on the test class path");
            Linkage linkage = linkage(new ClassReader(in));
            assertTrue(linkage.references.stream().anyMatch(r -> r.startsWith(JUL + "Logger.getLogger(")),
                    "references of " + sdkClass + ": " + linkage.references);
        }
    }

    private static void readInnerJar(JarFile jar, JarEntry entry, List<ClassReader> readers) throws IOException {
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(jar.getInputStream(entry))) {
            for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                    readers.add(new ClassReader(in.readAllBytes()));
                }
            }
        }
    }

    private static ClassReader read(JarFile jar, JarEntry entry) {
        try (InputStream in = jar.getInputStream(entry)) {
            return new ClassReader(in);
        } catch (IOException e) {
            throw new UncheckedIOException(entry.getName(), e);
        }
    }

    /** Members a class declares ({@code name(desc)}) and the types and members it links to. */
    private record Linkage(Set<String> declared, Set<String> references) {
    }

    private static Linkage linkage(ClassReader reader) {
        Set<String> declared = new HashSet<>();
        Set<String> references = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                if (superName != null) {
                    references.add(superName);
                }
                if (interfaces != null) {
                    references.addAll(List.of(interfaces));
                }
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                           Object value) {
                declared.add(name + ":" + descriptor);
                references.add(descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                declared.add(name + descriptor);
                references.add(descriptor);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        references.add(owner + "." + method + desc);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                        references.add(owner + "." + field + ":" + desc);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        references.add(type);
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Type type) {
                            references.add(type.getDescriptor());
                        } else if (value instanceof Handle handle) {
                            references.add(handle.getOwner() + "." + handle.getName() + handle.getDesc());
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                        references.add(desc);
                        for (Object arg : args) {
                            if (arg instanceof Handle handle) {
                                references.add(handle.getOwner() + "." + handle.getName() + handle.getDesc());
                            }
                        }
                    }

                    @Override
                    public void visitTryCatchBlock(net.bytebuddy.jar.asm.Label start, net.bytebuddy.jar.asm.Label end,
                                                   net.bytebuddy.jar.asm.Label handler, String type) {
                        if (type != null) {
                            references.add(type);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new Linkage(declared, references);
    }
}
