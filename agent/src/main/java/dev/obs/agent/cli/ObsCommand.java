package dev.obs.agent.cli;

import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code obs}: the command line over the local store and a running agent. Errors are one line on stderr:
 * exit status 2 for a usage error (unknown command or option, a malformed value), 1 for anything else.
 */
@Command(name = "obs", mixinStandardHelpOptions = true, versionProvider = ObsCommand.Version.class,
        description = "See what obs recorded: operations, traces, health; replay to a collector.",
        subcommands = {MetricsCommand.class, TracesCommand.class, TraceCommand.class, ReportCommand.class,
                HealthCommand.class, ReplayCommand.class, SyncCommand.class, AutoComplete.GenerateCompletion.class,
                CommandLine.HelpCommand.class})
public final class ObsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ObsCommand() {
    }

    /** Runs the command line; returns the exit status. Called by {@code dev.obs.agent.ObsMain}. */
    public static int run(String[] args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ObsCommand());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            String message = ex.getMessage();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine().getParent() == null
                    && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                message = "unknown command '" + u.getUnmatched().get(0) + "' (commands: "
                        + String.join(", ", ex.getCommandLine().getSubcommands().keySet()) + ")";
            }
            err.println("obs: " + message + " (see: " + name + " --help)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (ex instanceof CliError e) {
                err.println("obs: " + e.getMessage());
                err.flush();
                return e.status;
            }
            err.println("obs: " + ex);
            err.flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is missing");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = System.getProperty("dev.obs.version");
            return new String[] {"obs " + (v == null ? "(development build)" : v)};
        }
    }
}
