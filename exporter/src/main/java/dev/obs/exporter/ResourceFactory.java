package dev.obs.exporter;

import dev.obs.bootstrap.SecretMasker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resource every span and metric carries: service, process, host, and what the user configured.
 *
 * <p>Built on the exporter thread when exporting starts, so its cost is part of every short program's
 * start: on Linux the process's id, command line and host name are read from {@code /proc} (what
 * {@code ProcessHandle} and {@code gethostname} report), because {@code ProcessHandle}'s class
 * initialisation and {@code InetAddress.getLocalHost()} (which also resolves the name) cost several
 * milliseconds of CPU, and the latter can wait on DNS.
 */
final class ResourceFactory {
    private ResourceFactory() {
    }

    static Resource create(ExporterSettings s, String obsVersion) {
        AttributesBuilder b = Attributes.builder()
                .put("telemetry.distro.name", "obs")
                .put("telemetry.distro.version", obsVersion)
                .put("process.pid", pid())
                .put("process.runtime.name", System.getProperty("java.runtime.name", "java"))
                .put("process.runtime.version", System.getProperty("java.runtime.version", ""));
        List<String> args = maskedArgs(commandLine());
        if (!args.isEmpty()) {
            b.put(AttributeKey.stringArrayKey("process.command_args"), args);
        }
        String containerId = dev.obs.exporter.docker.ContainerIdDetector.detect();
        if (containerId != null) {
            b.put("container.id", containerId);
        }
        String host = hostName();
        if (host != null) {
            b.put("host.name", host);
        }
        for (Map.Entry<String, String> e : s.resourceAttributes().entrySet()) {
            String value = SecretMasker.isSecretKey(e.getKey()) ? SecretMasker.MASK : SecretMasker.mask(e.getValue());
            b.put(e.getKey(), value);
        }
        b.put("service.name", s.serviceName());
        return Resource.getDefault().merge(Resource.create(b.build()));
    }

    /** Each argument masked in the light of the one before it ({@code --password x}). */
    static List<String> maskedArgs(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        String previous = null;
        for (String a : args) {
            out.add(SecretMasker.maskArgument(previous, a));
            previous = a;
        }
        return out;
    }

    /** The JVM's process id: the target of {@code /proc/self}, else {@link ProcessHandle} (also the store's run id). */
    static long pid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().pid();
        }
    }

    /**
     * The JVM's command line as the OS reports it: the executable and the arguments after {@code argv[0]},
     * from {@code /proc/self/exe} and {@code /proc/self/cmdline} (where {@code ProcessHandle.Info} reads them
     * on Linux), else from {@code ProcessHandle.Info}.
     */
    static List<String> commandLine() {
        try {
            return commandLine(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString(),
                    Files.readAllBytes(Path.of("/proc/self/cmdline")), nativeCharset());
        } catch (IOException | RuntimeException e) {
            ProcessHandle.Info info = ProcessHandle.current().info();
            List<String> out = new ArrayList<>();
            if (info.command().isPresent()) {
                out.add(info.command().get());
            }
            if (info.arguments().isPresent()) {
                out.addAll(List.of(info.arguments().get()));
            }
            return out;
        }
    }

    /** {@code executable} and the NUL-terminated arguments of {@code cmdline} after the first. */
    static List<String> commandLine(String executable, byte[] cmdline, Charset charset) {
        List<String> out = new ArrayList<>();
        out.add(executable);
        int start = 0;
        boolean first = true;
        for (int i = 0; i <= cmdline.length; i++) {
            if (i == cmdline.length ? i > start : cmdline[i] == 0) {
                if (!first) {
                    out.add(new String(cmdline, start, i - start, charset));
                }
                first = false;
                start = i + 1;
            }
        }
        return out;
    }

    /** The charset the JDK decodes OS strings with (file names, arguments). */
    private static Charset nativeCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** {@code HOSTNAME}, else the kernel's host name ({@code gethostname}), else {@link InetAddress}'s. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JDK
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return null;
        }
    }
}
