package dev.obs.agent.cli;

/** A failure to report as one line ({@code obs: <message>}) and an exit status (2 for a usage error). */
final class CliError extends RuntimeException {
    final int status;

    CliError(String message, int status) {
        super(message);
        this.status = status;
    }

    static CliError usage(String message) {
        return new CliError(message, 2);
    }

    static CliError failure(String message) {
        return new CliError(message, 1);
    }
}
