package dev.obs.instrumentation.process;

import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.instrumentation.docker.DockerCli;
import dev.obs.exporter.git.GitOperation;
import dev.obs.instrumentation.git.GitTrace2;
import dev.obs.instrumentation.git.sync.GitCliSync;
import dev.obs.exporter.otel.W3cTraceContext;
import dev.obs.bootstrap.process.ProcessHooks;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the process instrumentation records when a program starts a subprocess. Executables named in
 * {@code obs.process.traced} (git, docker, podman by default) get a span that ends when the process exits, on
 * the JDK's process-reaper thread, never on the application's; every executable is counted in the
 * {@code obs.process.started} metric. Arguments are masked before anything is kept. A traced child gets its
 * span's {@code TRACEPARENT} (W3C) in its environment unless the program set one, with its trace's
 * {@code TRACESTATE} when obs keeps one ({@link dev.obs.exporter.otel.TraceStates}).
 *
 * <p>Lives in the agent's class loader: the hooks woven into {@code ProcessBuilder} reach it through the
 * {@link ProcessHooks.Starts} premain installs.
 */
public final class ProcessRecorder implements ProcessHooks.Starts {
    private static final ConcurrentHashMap<String, ExactCounter> STARTED = new ConcurrentHashMap<>();
    private static final int MAX_EXECUTABLES = 200;
    /**
     * Traced processes whose span has not ended, with the future that completes once their exit callback has
     * run: the JDK completes {@code onExit()} on its reaper thread a moment after {@code waitFor()} has
     * returned, so a program that exits right after its last subprocess would otherwise end before that
     * span does (see {@link #awaitExitedProcesses}).
     */
    private static final ConcurrentHashMap<Process, java.util.concurrent.CompletableFuture<Process>> ENDING =
            new ConcurrentHashMap<>();
    private static final int MAX_ENDING = 4096;
    /** Removes a process from {@link #ENDING} once its exit callback has run. */
    private static final java.util.function.BiConsumer<Process, Throwable> FORGET_ENDED =
            new java.util.function.BiConsumer<Process, Throwable>() {
                @Override
                public void accept(Process process, Throwable error) {
                    if (process != null) {
                        ENDING.remove(process);
                    }
                }
            };

    /** Executables (name without path or {@code .exe}) whose runs get spans ({@code obs.process.traced}). */
    private final List<String> traced;
    /** Whether git runs report their regions through trace2 ({@code obs.git.trace2}). */
    private final boolean gitTrace2;

    public ProcessRecorder(String[] tracedExecutables, boolean gitTrace2) {
        this.traced = List.of(tracedExecutables);
        this.gitTrace2 = gitTrace2;
    }

    /**
     * Called before {@code ProcessBuilder.start}: counts the executable and, when it is traced, starts a
     * span that is a child of the current span but does not become current (it ends on another thread).
     *
     * @return the traced run, or null
     */
    @Override
    public TracedRun beforeStart(ProcessBuilder builder) {
        List<String> command = builder.command();
        if (command == null || command.isEmpty()) {
            return null;
        }
        String executable = executableName(command.get(0));
        startedCounter(executable).add(1);
        if (!traced.contains(executable)) {
            return null;
        }
        String[] args = maskedArguments(command);
        boolean containerCli = executable.equals("docker") || executable.equals("podman");
        if (containerCli) {
            DockerCli.mask(command, args);
        }
        int subcommandAt = subcommandIndex(command);
        String name = spanName(executable, command, subcommandAt);
        ObsSpan span = Recorder.startDetachedSpan(name);
        if (span == null) {
            return null;
        }
        TracedRun run = new TracedRun(span);
        if (executable.equals("git")) {
            String subcommand = subcommandAt < 0 ? "" : command.get(subcommandAt);
            run.git = new GitOperation(GitOperation.Client.CLI, subcommand);
            run.sync = GitCliSync.of(subcommand, args, subcommandAt, span.startNanos);
        }
        span.setAttribute("process.executable.name", executable);
        span.setAttribute("process.command_args", args);
        if (containerCli) {
            DockerCli.describe(span, executable, builder, command);
        }
        if (W3cTraceContext.enabled()) {
            run.patch = EnvironmentPatch.apply(builder, span);
        }
        if (gitTrace2 && executable.equals("git")) {
            run.trace2 = GitTrace2.request(builder);
        }
        return run;
    }

    /**
     * Called after {@code ProcessBuilder.start} returned or threw. A started process's span ends when it
     * exits, with its exit code; a process that could not start ends the span now, with the error.
     */
    @Override
    public void afterStart(Object started, Process process, Throwable error) {
        TracedRun run = (TracedRun) started;
        if (run.patch != null) {
            run.patch.undo();
        }
        if (process == null || error != null) {
            Recorder.endDetachedSpan(run.span, error, run.git);
            if (run.sync != null) {
                run.sync.exited(-1, error, System.nanoTime());
            }
            deleteTrace(run.trace2);
            return;
        }
        run.span.setAttribute("process.pid", process.pid());
        java.util.concurrent.CompletableFuture<Process> ended = process.onExit().whenComplete(run);
        if (ENDING.size() < MAX_ENDING) {
            ENDING.put(process, ended);
            ended.whenComplete(FORGET_ENDED); // at once when it has completed already
        }
    }

    /**
     * At exit (obs's shutdown hook, before the last export): waits, at most {@code timeoutNanos} in all, for
     * the spans of traced processes that have exited but whose exit callback has not run yet. Processes still
     * running are not waited for.
     */
    public static void awaitExitedProcesses(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        for (java.util.Map.Entry<Process, java.util.concurrent.CompletableFuture<Process>> e : ENDING.entrySet()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            if (!e.getKey().isAlive()) {
                try {
                    e.getValue().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (Exception ignored) {
                    // timed out, or the callback failed: the span is what it is
                }
            }
        }
    }

    /**
     * {@code TRACEPARENT} for the child, set in the builder's environment just for its {@code start()} and
     * put back as it was afterwards, so a builder the program starts again sees only what it set itself. A
     * value the program set is left alone (with its {@code TRACESTATE}); one the JVM merely inherited
     * belongs to some other trace and is replaced, its inherited {@code TRACESTATE} replaced by the span's
     * trace's own (its OpenTelemetry parent's) or left out.
     */
    private static final class EnvironmentPatch {
        private final java.util.Map<String, String> env;
        private final String previousParent;
        private final String previousState;

        private EnvironmentPatch(java.util.Map<String, String> env, String previousParent, String previousState) {
            this.env = env;
            this.previousParent = previousParent;
            this.previousState = previousState;
        }

        static EnvironmentPatch apply(ProcessBuilder builder, ObsSpan span) {
            java.util.Map<String, String> env = builder.environment();
            String parent = env.get(W3cTraceContext.VARIABLE);
            if (parent != null && !parent.equals(System.getenv(W3cTraceContext.VARIABLE))) {
                return null;
            }
            String state = env.get(W3cTraceContext.STATE_VARIABLE);
            if (parent == null && state != null && !state.equals(System.getenv(W3cTraceContext.STATE_VARIABLE))) {
                return null; // a TRACESTATE of the program's without TRACEPARENT: its own business
            }
            EnvironmentPatch patch = new EnvironmentPatch(env, parent, state);
            env.put(W3cTraceContext.VARIABLE, W3cTraceContext.traceparent(span));
            String tracestate = W3cTraceContext.tracestate(span);
            if (tracestate != null) {
                env.put(W3cTraceContext.STATE_VARIABLE, tracestate);
            } else {
                env.remove(W3cTraceContext.STATE_VARIABLE);
            }
            return patch;
        }

        void undo() {
            restore(W3cTraceContext.VARIABLE, previousParent);
            restore(W3cTraceContext.STATE_VARIABLE, previousState);
        }

        private void restore(String name, String value) {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        }
    }

    /**
     * One traced start, from {@code beforeStart} to the process's exit: its span and what else that start set
     * up. Ends the span with the exit code, as the exit callback, on the JDK's process-reaper thread.
     */
    static final class TracedRun implements java.util.function.BiConsumer<Process, Throwable> {
        final ObsSpan span;
        /** What a git run measures (its Git operation); null for other executables. */
        GitOperation git;
        /** A git fetch, pull or push: a sync operation when the process exits; else null. */
        GitCliSync sync;
        /** The environment obs added TRACEPARENT to, put back once {@code start()} has returned. */
        EnvironmentPatch patch;
        /** The git run's trace2 file (obs.git.trace2), read and deleted at exit. */
        java.nio.file.Path trace2;

        TracedRun(ObsSpan span) {
            this.span = span;
        }

        @Override
        public void accept(Process process, Throwable error) {
            try {
                int code = -1;
                if (process != null) {
                    code = process.exitValue();
                    span.setAttribute("process.exit.code", (long) code);
                    span.failed = code != 0;
                }
                Recorder.endDetachedSpan(span, error, git);
                if (sync != null) {
                    sync.exited(code, error, System.nanoTime());
                }
                if (trace2 != null) {
                    GitTrace2.emitRegions(span, trace2);
                }
            } catch (Throwable ignored) {
                // the reaper thread belongs to the JDK: nothing may escape to it
            }
        }
    }

    private static void deleteTrace(java.nio.file.Path trace) {
        if (trace != null) {
            try {
                java.nio.file.Files.deleteIfExists(trace);
            } catch (java.io.IOException | RuntimeException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    /** {@code /usr/bin/git} → {@code git}; {@code C:\Git\git.exe} → {@code git}. */
    public static String executableName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        String name = path.substring(slash + 1);
        return name.endsWith(".exe") ? name.substring(0, name.length() - 4) : name;
    }

    /**
     * {@code git <subcommand>} for git (skipping global options such as {@code -C dir} and
     * {@code -c key=value}), {@code docker <subcommand>} likewise, else the executable's name.
     */
    public static String spanName(String executable, List<String> command) {
        return spanName(executable, command, subcommandIndex(command));
    }

    private static String spanName(String executable, List<String> command, int subcommandAt) {
        return subcommandAt < 0 ? executable : executable + " " + command.get(subcommandAt);
    }

    /** Where the subcommand is in {@code command} (after the executable and its global options), or -1. */
    static int subcommandIndex(List<String> command) {
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            if (a == null) {
                continue;
            }
            if (a.startsWith("-")) {
                if (takesValue(a)) {
                    i++;
                }
                continue;
            }
            return i;
        }
        return -1;
    }

    private static boolean takesValue(String option) {
        switch (option) {
            case "-C":
            case "-c":
            case "--git-dir":
            case "--work-tree":
            case "--namespace":
            case "--config-env":
            case "--exec-path":
            case "-H":
            case "--host":
            case "--config":
            case "--context":
            case "-l":
            case "--log-level":
                return true;
            default:
                return false;
        }
    }

    /** The command line with every secret masked (see {@link SecretMasker#maskArgument}). */
    public static String[] maskedArguments(List<String> command) {
        String[] out = new String[command.size()];
        String previous = null;
        for (int i = 0; i < out.length; i++) {
            String a = command.get(i);
            out[i] = SecretMasker.maskArgument(previous, a);
            previous = a;
        }
        return out;
    }

    private static ExactCounter startedCounter(String executable) {
        // Bounded: a program that runs many differently named executables cannot grow the series without end.
        if (STARTED.size() >= MAX_EXECUTABLES && !STARTED.containsKey(executable)) {
            executable = "other";
        }
        ExactCounter counter = STARTED.get(executable);
        if (counter == null) {
            counter = STARTED.computeIfAbsent(executable, e -> ExactMetrics.counter("obs.process.started",
                    "{process}", "Subprocesses started, by executable", new String[] {"process.executable.name"},
                    new String[] {e}));
        }
        return counter;
    }
}
