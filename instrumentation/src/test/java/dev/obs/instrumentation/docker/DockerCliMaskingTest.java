package dev.obs.instrumentation.docker;

import dev.obs.instrumentation.process.ProcessRecorder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerCliMaskingTest {
    @Test
    void cliEnvironmentValuesAndLoginPasswordsAreMasked() {
        List<String> run = List.of("docker", "run", "-e", "TOKEN=abc", "--env", "PLAIN=x", "--env=K=v", "-eA=b",
                "-p", "8080:80", "img");
        String[] masked = ProcessRecorder.maskedArguments(run);
        DockerCli.mask(run, masked);
        assertArrayEquals(new String[] {"docker", "run", "-e", "TOKEN=****", "--env", "PLAIN=****", "--env=K=****",
            "-eA=****", "-p", "8080:80", "img"}, masked);

        List<String> login = List.of("docker", "login", "-u", "me", "-p", "hunter2", "registry.example");
        masked = ProcessRecorder.maskedArguments(login);
        DockerCli.mask(login, masked);
        assertArrayEquals(new String[] {"docker", "login", "-u", "me", "-p", "****", "registry.example"}, masked);
    }
}
