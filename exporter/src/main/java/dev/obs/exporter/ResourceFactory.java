package dev.obs.exporter;

import dev.obs.bootstrap.SecretMasker;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The resource every span and metric carries: service, process, host, and what the user configured. */
final class ResourceFactory {
    private ResourceFactory() {
    }

    static Resource create(ExporterSettings s, String obsVersion) {
        AttributesBuilder b = Attributes.builder()
                .put("telemetry.distro.name", "obs")
                .put("telemetry.distro.version", obsVersion)
                .put("process.pid", ProcessHandle.current().pid())
                .put("process.runtime.name", System.getProperty("java.runtime.name", "java"))
                .put("process.runtime.version", System.getProperty("java.runtime.version", ""));
        List<String> args = maskedArgs(commandLine());
        if (!args.isEmpty()) {
            b.put(AttributeKey.stringArrayKey("process.command_args"), args);
        }
        String containerId = dev.obs.exporter.container.ContainerIdDetector.detect();
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

    /** The JVM's command line as the OS reports it (read on the exporter thread, off start-up). */
    private static List<String> commandLine() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> out = new ArrayList<>();
        info.command().ifPresent(out::add);
        info.arguments().ifPresent(a -> out.addAll(List.of(a)));
        return out;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return null;
        }
    }
}
