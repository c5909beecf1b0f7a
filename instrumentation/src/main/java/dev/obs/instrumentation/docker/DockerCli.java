package dev.obs.instrumentation.docker;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.exporter.docker.ContainerRegistry;
import dev.obs.instrumentation.process.ProcessRecorder;
import java.util.List;

/**
 * What the process family adds for the {@code docker} and {@code podman} command lines: masking of the
 * secrets they take as arguments, and the container a {@code run}/{@code create} names.
 *
 * <p>The container id the CLI prints is not read: that would mean reading the application's own stream
 * of the child's output. A container named with {@code --name} is known by that name instead (the engine
 * accepts names wherever it accepts ids) and handed to the stats sampler.
 */
public final class DockerCli {
    private DockerCli() {
    }

    /**
     * Masks, in {@code masked} (already passed through {@link SecretMasker#maskArgument}): every value of
     * {@code -e}/{@code --env} (environment values given to containers are credentials more often than
     * their names tell), and the password of {@code login -p}.
     */
    public static void mask(List<String> command, String[] masked) {
        boolean login = "login".equals(subcommand(command));
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            if (a == null) {
                continue;
            }
            if ((a.equals("-e") || a.equals("--env")) && i + 1 < command.size()) {
                masked[i + 1] = envValueMasked(command.get(i + 1));
                i++;
            } else if (a.startsWith("--env=")) {
                masked[i] = "--env=" + envValueMasked(a.substring("--env=".length()));
            } else if (a.startsWith("-e") && a.length() > 2 && a.indexOf('=') > 2 && !a.startsWith("--")) {
                masked[i] = "-e" + envValueMasked(a.substring(2));
            } else if (login && (a.equals("-p") || a.equals("--password")) && i + 1 < command.size()) {
                masked[i + 1] = SecretMasker.MASK;
                i++;
            } else if (login && a.startsWith("-p") && a.length() > 2) {
                masked[i] = "-p" + SecretMasker.MASK;
            }
        }
    }

    /** {@code KEY=value} → {@code KEY=****}; a bare {@code KEY} (taken from the CLI's environment) stays. */
    private static String envValueMasked(String assignment) {
        if (assignment == null) {
            return null;
        }
        int eq = assignment.indexOf('=');
        return eq < 0 ? SecretMasker.mask(assignment) : assignment.substring(0, eq + 1) + SecretMasker.MASK;
    }

    /**
     * {@code container.name} of a {@code run}/{@code create} with {@code --name}, and (docker only) that
     * container handed to the stats sampler with the engine the CLI talks to ({@code -H}, else
     * {@code DOCKER_HOST} of the child's environment, else the default socket).
     */
    public static void describe(ObsSpan span, String executable, ProcessBuilder builder, List<String> command) {
        String sub = subcommand(command);
        if (!"run".equals(sub) && !"create".equals(sub)
                && !("container".equals(sub) && command.size() > 2
                && ("run".equals(command.get(2)) || "create".equals(command.get(2))))) {
            return;
        }
        String name = optionValue(command, "--name");
        if (name == null) {
            return;
        }
        span.setAttribute("container.name", name);
        if (executable.equals("docker")) {
            String host = optionValue(command, "-H");
            if (host == null) {
                host = optionValue(command, "--host");
            }
            if (host == null) {
                host = builder.environment().get("DOCKER_HOST");
            }
            ContainerRegistry.seen(name, name, null, host, "cli");
        }
    }

    private static String subcommand(List<String> command) {
        String name = ProcessRecorder.spanName("", command).trim();
        return name.isEmpty() ? null : name;
    }

    /** {@code --name x} or {@code --name=x}. */
    private static String optionValue(List<String> command, String option) {
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            if (a == null) {
                continue;
            }
            if (a.equals(option) && i + 1 < command.size()) {
                return command.get(i + 1);
            }
            if (a.startsWith(option + "=")) {
                return a.substring(option.length() + 1);
            }
        }
        return null;
    }
}
