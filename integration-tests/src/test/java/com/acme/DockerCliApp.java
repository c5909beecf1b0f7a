package com.acme;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs the docker command line through ProcessBuilder: {@code docker run --rm --network none <image> echo
 * hi}, then a run whose arguments carry secrets ({@code -e TOKEN=...}) and that fails (unknown image).
 * Prints each run's output and exit code. Args: engine endpoint, local image.
 */
public final class DockerCliApp {
    private DockerCliApp() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        String image = args[1];
        run(host, List.of("docker", "run", "--rm", "--network", "none", image, "echo", "hi"));
        run(host, List.of("docker", "run", "--rm", "--network", "none", "-e", "TOKEN=s3cr3t-env-value",
                "--env=PLAIN=also-hidden", "obs-no-such-image:absent", "true"));
        // A run's span ends on the JDK's process-reaper thread after waitFor() returns; a program that exits
        // at once can end before it is queued (a known limit of the process family, see README).
        Thread.sleep(300);
    }

    private static void run(String host, List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", host);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        int code = p.waitFor();
        String text = out.toString(StandardCharsets.UTF_8).trim();
        System.out.println(command.get(1) + " exit " + code + (code == 0 ? " " + text : ""));
    }
}
