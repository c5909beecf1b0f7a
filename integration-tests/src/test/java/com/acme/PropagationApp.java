package com.acme;

import com.github.dockerjava.api.DockerClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;

/**
 * What leaves the process with a traced operation.
 *
 * <ul>
 *   <li>{@code git}: runs {@code git envdump} (an alias for {@code env}) twice and prints the
 *       {@code TRACE*} lines of the child's environment: once as it is, once with {@code TRACEPARENT} and
 *       {@code TRACESTATE} set by the program itself; then prints whether the builder's environment still
 *       has a {@code TRACEPARENT} after the first run.</li>
 *   <li>{@code http <url> <dir>}: a JGit fetch from {@code url} into a new repository in {@code dir}
 *       (expected to fail: the test's server answers 404).</li>
 *   <li>{@code docker <host>}: docker-java's {@code ping} and {@code version} through {@code host}.</li>
 * </ul>
 */
public final class PropagationApp {
    static final String PROGRAM_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private PropagationApp() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "git" -> git();
            case "http" -> http(args[1], Path.of(args[2]));
            case "docker" -> docker(args[1]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void git() throws Exception {
        ProcessBuilder plain = new ProcessBuilder(List.of("git", "-c", "alias.envdump=!env", "envdump"));
        System.out.println("plain: " + traceLines(plain));
        System.out.println("builder keeps TRACEPARENT: " + plain.environment().containsKey("TRACEPARENT"));
        ProcessBuilder own = new ProcessBuilder(List.of("git", "-c", "alias.envdump=!env", "envdump"));
        own.environment().put("TRACEPARENT", PROGRAM_TRACEPARENT);
        own.environment().put("TRACESTATE", "acme=1");
        System.out.println("program's own: " + traceLines(own));
    }

    private static String traceLines(ProcessBuilder builder) throws Exception {
        builder.redirectErrorStream(true);
        Process p = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        int code = p.waitFor();
        java.util.TreeSet<String> trace = new java.util.TreeSet<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("TRACE")) {
                trace.add(line);
            }
        }
        StringBuilder lines = new StringBuilder("exit " + code);
        trace.forEach(l -> lines.append(' ').append(l));
        return lines.toString();
    }

    private static void http(String url, Path dir) throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
            git.fetch().setRemote(url).setRefSpecs("+refs/heads/*:refs/remotes/origin/*").call();
            System.out.println("fetched");
        } catch (Exception e) {
            System.out.println("fetch failed: " + e.getClass().getName());
            System.err.println("fetch failure: " + e + " cause " + e.getCause());
        }
    }

    private static void docker(String host) throws Exception {
        DockerClient docker = DockerJavaApp.client(host);
        docker.pingCmd().exec();
        System.out.println("api version: " + (docker.versionCmd().exec().getApiVersion() != null));
        docker.close();
    }
}
