package dev.obs.instrumentation.docker;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.instrumentation.AdviceApplier;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * docker-java 3.x at the level every transport goes through: the command executors of
 * {@code com.github.dockerjava.core.exec} (every {@code DockerClient} call runs {@code exec} of one of
 * their two base classes, whatever {@code DockerHttpClient} carries it), and docker-java's own
 * {@code DefaultInvocationBuilder}, which hands requests to the transport and streams to a thread of its
 * own. The zerodep transport relocates Apache HttpClient, so an HTTP-client instrumentation would not
 * see it; this level sees every transport.
 *
 * <p>Testcontainers 1.x bundles docker-java's core relocated under {@link #TESTCONTAINERS} (its API and
 * transport stay unrelocated): each type is matched there too, so Testcontainers' calls become the same spans.
 *
 * <p>Advice signatures use {@code Object} only, so describing them needs no docker-java class; the two
 * casts in {@link ResponseAdvice} are resolved in the helper loader next to docker-java, where they are visible.
 */
public final class DockerJavaInstrumentation implements TypeInstrumentation {
    static final String EXEC = "com.github.dockerjava.core.exec.";
    static final String SYNC = EXEC + "AbstrSyncDockerCmdExec";
    static final String ASYNC = EXEC + "AbstrAsyncDockerCmdExec";
    static final String INVOCATION_BUILDER = "com.github.dockerjava.core.DefaultInvocationBuilder";
    /** Where Testcontainers 1.x relocates docker-java's core ({@code org.testcontainers:testcontainers}). */
    static final String TESTCONTAINERS = "org.testcontainers.shaded.";

    /** The type's name; for STREAM_CALLBACK the prefix of the callbacks nested in it. */
    private final String name;
    private final Kind kind;

    private enum Kind { SYNC, ASYNC, STREAM_CALLBACK, INVOCATION_BUILDER }

    /** Matchers are built only when the engine weaves, never at premain (see {@link TypeInstrumentation}). */
    private DockerJavaInstrumentation(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    /** {@code AbstrSyncDockerCmdExec.exec(command)}: create, start, inspect, remove, wait... */
    static DockerJavaInstrumentation sync() {
        return new DockerJavaInstrumentation(SYNC, Kind.SYNC);
    }

    /** {@code AbstrAsyncDockerCmdExec.exec(command, callback)}: logs, attach, events, stats, pull, build... */
    static DockerJavaInstrumentation async() {
        return new DockerJavaInstrumentation(ASYNC, Kind.ASYNC);
    }

    /**
     * The callback {@code AbstrAsyncDockerCmdExec} wraps around the application's (an anonymous class):
     * docker-java's stream thread calls its {@code onComplete} or {@code onError} when the stream ends,
     * also when the application closed it early.
     */
    static DockerJavaInstrumentation streamCallback() {
        return new DockerJavaInstrumentation(ASYNC + "$", Kind.STREAM_CALLBACK);
    }

    /** {@code DefaultInvocationBuilder}: HTTP status of each request, and streams handed to their thread. */
    static DockerJavaInstrumentation invocationBuilder() {
        return new DockerJavaInstrumentation(INVOCATION_BUILDER, Kind.INVOCATION_BUILDER);
    }

    @Override
    public List<String> typeNamePrefixes() {
        return List.of(name, TESTCONTAINERS + name);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return new Matching().typeMatcher();
    }

    @Override
    public void transform(AdviceApplier applier) {
        new Matching().transform(applier);
    }

    /** Entry of an operation, synchronous or not: the span starts. */
    @SuppressWarnings("unused")
    public static final class CommandEnter {
        private CommandEnter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static ObsSpan enter(@Advice.This Object exec, @Advice.Argument(0) Object command) {
            return DockerRecorder.start(exec, command);
        }
    }

    /** A synchronous operation: the span covers the call. */
    @SuppressWarnings("unused")
    public static final class SyncAdvice {
        private SyncAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.This Object exec,
                                @Advice.Argument(0) Object command, @Advice.Return Object result,
                                @Advice.Thrown Throwable thrown) {
            DockerRecorder.end(span, exec, command, result, thrown);
        }
    }

    /** An asynchronous operation: the span starts here and ends with its stream. */
    @SuppressWarnings("unused")
    public static final class AsyncAdvice {
        private AsyncAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Enter ObsSpan span, @Advice.Thrown Throwable thrown) {
            DockerRecorder.asyncReturned(span, thrown);
        }
    }

    /** The request goes to docker-java's stream thread: the current span goes with it. */
    @SuppressWarnings("unused")
    public static final class StreamStartAdvice {
        private StreamStartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object callback) {
            DockerRecorder.streamStarted(callback, request);
        }
    }

    /** docker-java's stream thread runs the stream: followed while it does, for a close the program asks for. */
    @SuppressWarnings("unused")
    public static final class StreamThreadAdvice {
        private StreamThreadAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter() {
            DockerRecorder.streamThreadRunning();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit() {
            DockerRecorder.streamThreadDone();
        }
    }

    /** The program closes the stream: the error the stream thread reports next is that close. */
    @SuppressWarnings("unused")
    public static final class StreamCloseAdvice {
        private StreamCloseAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter(@Advice.Argument(0) Thread streamThread) {
            DockerRecorder.streamCloseRequested(streamThread);
        }
    }

    /** A request is about to be built: the current span's {@code traceparent} goes into its headers. */
    @SuppressWarnings("unused")
    public static final class TraceHeaderAdvice {
        private TraceHeaderAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter(@Advice.This Object invocationBuilder) {
            DockerRecorder.traceHeader(invocationBuilder);
        }
    }

    /** The stream completed or was closed. */
    @SuppressWarnings("unused")
    public static final class StreamCompleteAdvice {
        private StreamCompleteAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter(@Advice.This Object callback) {
            DockerRecorder.streamEnded(callback, null);
        }
    }

    /** The stream failed. */
    @SuppressWarnings("unused")
    public static final class StreamErrorAdvice {
        private StreamErrorAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class, inline = false)
        public static void enter(@Advice.This Object callback, @Advice.Argument(0) Object error) {
            DockerRecorder.streamEnded(callback, error instanceof Throwable ? (Throwable) error : null);
        }
    }

    /** The engine's HTTP status: from the response, or from the exception docker-java made of it. */
    @SuppressWarnings("unused")
    public static final class ResponseAdvice {
        private ResponseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, inline = false)
        public static void exit(@Advice.Argument(0) Object request, @Advice.Return Object response,
                                @Advice.Thrown Throwable thrown) {
            int status = response != null ? ((DockerHttpClient.Response) response).getStatusCode()
                    : thrown instanceof DockerException ? ((DockerException) thrown).getHttpStatus() : 0;
            DockerRecorder.httpStatus(request, status);
        }
    }

    /**
     * The matchers, in a class of its own: premain creates this instrumentation, and verifying a class that
     * builds matchers loads Byte Buddy's {@code ElementMatcher} (see {@link TypeInstrumentation}).
     */
    private final class Matching {
        ElementMatcher<TypeDescription> typeMatcher() {
            return kind == Kind.STREAM_CALLBACK ? nameStartsWith(name).or(nameStartsWith(TESTCONTAINERS + name))
                    : named(name).or(named(TESTCONTAINERS + name));
        }

        void transform(AdviceApplier applier) {
            String self = DockerJavaInstrumentation.class.getName();
            switch (kind) {
                case SYNC -> applier.applyAdvice(named("exec").and(takesArguments(1)).and(not(isAbstract())),
                        self + "$CommandEnter", self + "$SyncAdvice");
                // not the bridge exec(DockerCmd, ResultCallback) javac adds, which calls the real one: one span per call
                case ASYNC -> applier.applyAdvice(named("exec").and(takesArguments(2)).and(not(isAbstract()))
                        .and(not(isBridge())), self + "$CommandEnter", self + "$AsyncAdvice");
                case STREAM_CALLBACK -> {
                    applier.applyAdvice(named("onComplete").and(takesArguments(0)), self + "$StreamCompleteAdvice");
                    applier.applyAdvice(named("close").and(takesArguments(0)), self + "$StreamCompleteAdvice");
                    applier.applyAdvice(named("onError").and(takesArguments(1)), self + "$StreamErrorAdvice");
                }
                case INVOCATION_BUILDER -> {
                    applier.applyAdvice(named("execute").and(takesArguments(1)), self + "$ResponseAdvice");
                    applier.applyAdvice(named("executeAndStream").and(takesArguments(3)), self + "$StreamStartAdvice");
                    // executeAndStream's two lambdas (javac names them lambda$...$n): the stream thread's body
                    // (request, callback, consumer), and the closeable it gives the callback (thread, response),
                    // which interrupts that thread when the program closes the stream
                    applier.applyAdvice(nameStartsWith("lambda$").and(takesArguments(3))
                            .and(takesArgument(1, nameEndsWith("dockerjava.api.async.ResultCallback"))),
                            self + "$StreamThreadAdvice");
                    applier.applyAdvice(nameStartsWith("lambda$").and(takesArguments(2))
                            .and(takesArgument(0, named("java.lang.Thread"))), self + "$StreamCloseAdvice");
                    // every request starts with one of these verbs, on the thread of the operation's span
                    applier.applyAdvice(named("get").or(named("post")).or(named("put")).or(named("delete"))
                            .or(named("postStream")).and(isPublic()).and(not(isBridge())), self + "$TraceHeaderAdvice");
                }
                default -> throw new IllegalStateException(kind.name());
            }
        }
    }
}
