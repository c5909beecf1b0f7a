package com.acme;

import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers' {@code GenericContainer}, unchanged, against the engine {@code DOCKER_HOST} names: a local
 * image that is never pulled (there is no registry), no network and no Ryuk (the test's environment says
 * {@code TESTCONTAINERS_RYUK_DISABLED=true}); the container echoes a line, is waited for by that log line,
 * its logs are read, and it is stopped (Testcontainers removes it). Prints what the program sees, so a run
 * with the agent can be compared with one without; the container id goes to stderr.
 *
 * <p>Args: local image.
 */
public final class TestcontainersApp {
    private TestcontainersApp() {
    }

    public static void main(String[] args) {
        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(args[0]))) {
            container.withImagePullPolicy(image -> false)
                    .withNetworkMode("none")
                    .withCommand("sh", "-c", "echo hi; sleep 1")
                    .waitingFor(Wait.forLogMessage("hi\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
            container.start();
            System.err.println("container " + container.getContainerId());
            System.out.println("started");
            System.out.println("logs " + container.getLogs().trim());
            container.stop();
            System.out.println("stopped");
        }
    }
}
