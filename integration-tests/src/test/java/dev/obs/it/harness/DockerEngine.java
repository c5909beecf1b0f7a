package dev.obs.it.harness;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The Docker engine the container tests run against: the dockerd {@code scripts/test-dockerd.sh start}
 * (called by {@code .ci/run}) starts, at {@code DOCKER_HOST} or {@link #DEFAULT_ENDPOINT}, with the local
 * image {@link #IMAGE} imported from busybox (nothing is ever pulled). A test that needs it fails, never
 * skips, when it is not there.
 */
public final class DockerEngine {
    /** Where scripts/test-dockerd.sh puts the socket unless OBS_DOCKERD_DIR says otherwise. */
    public static final String DEFAULT_ENDPOINT = "unix:///tmp/obs-dockerd/docker.sock";
    /** The tiny local image scripts/test-dockerd.sh imports from busybox-static. */
    public static final String IMAGE = "obs-busybox:local";

    private DockerEngine() {
    }

    /** {@code DOCKER_HOST} when it names a unix socket, else the default socket. */
    public static String endpoint() {
        String env = System.getenv("DOCKER_HOST");
        return env != null && env.startsWith("unix://") ? env : DEFAULT_ENDPOINT;
    }

    /** Fails the test with how to start the engine when it, or the local image, is missing. */
    public static String requireRunning() {
        String endpoint = endpoint();
        String hint = " (start it with `scripts/test-dockerd.sh start`, which .ci/run does)";
        try {
            String ping = get(endpoint, "/_ping");
            if (!ping.startsWith("HTTP/1.1 200")) {
                throw new AssertionError("dockerd at " + endpoint + " answered " + firstLine(ping) + hint);
            }
            String image = get(endpoint, "/images/" + IMAGE + "/json");
            if (!image.startsWith("HTTP/1.1 200")) {
                throw new AssertionError("image " + IMAGE + " missing from dockerd at " + endpoint + hint);
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("dockerd not reachable at " + endpoint + ": " + e + hint, e);
        }
        return endpoint;
    }

    /** GET over the unix socket; the raw answer, status line first. */
    public static String get(String endpoint, String path) throws java.io.IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(endpoint.substring("unix://".length())));
            ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String firstLine(String s) {
        int eol = s.indexOf('\r');
        return eol < 0 ? s : s.substring(0, eol);
    }

    /** Puts docker-java 3.7 (zerodep transport) and its runtime dependencies on a child JVM's class path. */
    public static AgentJvm withDockerJava(AgentJvm jvm) throws Exception {
        for (String cls : List.of("com.github.dockerjava.core.DockerClientImpl", "com.github.dockerjava.api.DockerClient",
                "com.github.dockerjava.transport.DockerHttpClient", "com.github.dockerjava.zerodep.ZerodepDockerHttpClient",
                "com.fasterxml.jackson.annotation.JsonProperty", "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.core.JsonParser", "org.apache.commons.io.IOUtils",
                "org.apache.commons.compress.archivers.tar.TarArchiveEntry", "org.apache.commons.lang3.StringUtils",
                "com.google.common.base.Preconditions", "org.slf4j.LoggerFactory", "com.sun.jna.Native",
                "org.bouncycastle.jce.provider.BouncyCastleProvider", "org.bouncycastle.cert.X509CertificateHolder")) {
            jvm.classpath(jarOf(cls));
        }
        return jvm;
    }

    private static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
        return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
