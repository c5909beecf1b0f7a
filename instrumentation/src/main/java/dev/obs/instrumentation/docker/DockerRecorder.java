package dev.obs.instrumentation.docker;

import dev.obs.exporter.docker.ContainerRegistry;
import dev.obs.bootstrap.IdentityKey;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.exporter.otel.W3cTraceContext;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import com.github.dockerjava.api.exception.DockerException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the docker-java advice records: a CLIENT span per Docker API operation ({@code docker container
 * create}, {@code docker image pull}...), named after docker-java's command executor class, with the
 * container id, name and image read from the command object and the HTTP status of the engine's answer.
 *
 * <p>A helper of the docker family: defined next to docker-java (see {@code HelperDispatch}), so it reads
 * docker-java's API types directly. Two reads stay reflective because they are of docker-java's core, which
 * Testcontainers relocates ({@code org.testcontainers.shaded.com.github.dockerjava.core}): the executor's
 * client configuration (the engine endpoint) and the request builder's {@code header} method. A value that
 * cannot be read costs its attribute, never the call.
 *
 * <p>Streaming operations (logs, attach, events, stats, exec start) start on the application's thread and
 * end on docker-java's stream thread when the stream completes, fails or is closed.
 */
public final class DockerRecorder {
    /** Span name prefix of every docker-java span. */
    public static final String PREFIX = "docker ";
    private static final byte CLIENT = 2;
    private static final int MAX_STREAMS = 10_000;

    /** Streams between {@link #streamStarted} and {@link #streamEnded}, by docker-java's callback. */
    private static final ConcurrentHashMap<IdentityKey, ObsSpan> STREAMS = new ConcurrentHashMap<>();
    /** The same streams by their HTTP request, for the status their stream thread receives. */
    private static final ConcurrentHashMap<IdentityKey, ObsSpan> REQUESTS = new ConcurrentHashMap<>();
    /** Spans a stream took over: their operation call returns without ending them. */
    private static final ConcurrentHashMap<ObsSpan, Boolean> HANDED_OFF = new ConcurrentHashMap<>();
    /**
     * docker-java's stream threads while their body runs: FALSE, or TRUE once the program has closed the
     * stream (the closeable docker-java hands to {@code onStart}, which {@code ResultCallback.close()} calls).
     * The closeable interrupts the stream thread, which then reports an {@code onError}
     * ({@code ClosedByInterruptException}, {@code InterruptedIOException}): a close the program asked for, not
     * a failure. Written by the program's thread before it interrupts the stream thread, so the stream thread
     * sees it when it reports the interrupt (interrupt happens-before the interrupted thread noticing it).
     */
    private static final ConcurrentHashMap<IdentityKey, Boolean> STREAM_THREADS = new ConcurrentHashMap<>();
    /** Attribute of a stream span whose stream the program closed before it ended by itself. */
    public static final String CLOSED_BY_CALLER = "docker.stream.closed_by_caller";

    private static final ClassValue<String> OPERATION = new ClassValue<String>() {
        @Override
        protected String computeValue(Class<?> type) {
            return spanName(type.getSimpleName());
        }
    };

    private DockerRecorder() {
    }

    /**
     * Starts the span of one operation and makes it current. Called on entry of docker-java's
     * {@code exec(command)}/{@code exec(command, callback)}.
     *
     * @param exec    the command executor ({@code InspectContainerCmdExec}...), whose class names the span
     * @param command the command ({@code InspectContainerCmd}), read for container id, name and image
     */
    public static ObsSpan start(Object exec, Object command) {
        ObsSpan span = Recorder.startSpan(OPERATION.get(exec.getClass()));
        if (span == null) {
            return null;
        }
        span.spanKind = CLIENT;
        try {
            String name = span.name;
            span.setAttribute("container.runtime", "docker");
            span.setAttribute("container.id", masked(DockerCommands.containerId(command)));
            if (command instanceof CreateContainerCmd create) {
                span.setAttribute("container.name", masked(create.getName()));
                span.setAttribute("container.image.name", masked(create.getImage()));
            } else if (name.startsWith("docker image ")) {
                span.setAttribute("container.image.name", masked(DockerCommands.image(command)));
            } else if (name.startsWith("docker exec ")) {
                span.setAttribute("docker.exec.id", masked(DockerCommands.execId(command)));
            }
        } catch (Throwable ignored) {
            // attributes only
        }
        return span;
    }

    /**
     * Ends a synchronous operation: the created container's id, the HTTP status of a failure, the
     * container registered for (or removed from) stats sampling.
     *
     * @param exec   the command executor (its client configuration names the engine endpoint)
     * @param result what {@code exec} returned (a create response carries the new container's id)
     */
    public static void end(ObsSpan span, Object exec, Object command, Object result, Throwable thrown) {
        if (span == null) {
            return;
        }
        try {
            String name = span.name;
            String id = stringAttribute(span, "container.id");
            if (result instanceof CreateContainerResponse created) {
                id = masked(created.getId());
                span.setAttribute("container.id", id);
            } else if (result instanceof ExecCreateCmdResponse execCreated) {
                span.setAttribute("docker.exec.id", masked(execCreated.getId()));
            }
            if (thrown != null) {
                int status = httpStatus(thrown);
                if (status > 0 && stringAttribute(span, "http.response.status_code") == null) {
                    span.setAttribute("http.response.status_code", (long) status);
                }
            } else if (id != null) {
                if (name.equals("docker container create") || name.equals("docker container start")) {
                    ContainerRegistry.seen(id, stringAttribute(span, "container.name"),
                            stringAttribute(span, "container.image.name"), endpoint(exec), "docker-java");
                } else if (name.equals("docker container remove")) {
                    ContainerRegistry.gone(id);
                }
            }
        } catch (Throwable ignored) {
            // attributes only
        }
        Recorder.endSpan(span, thrown);
    }

    /**
     * Called when {@code exec(command, callback)} returns: a span a stream took over stops being current
     * here and ends when the stream does; any other (a failure before the stream, or a transport obs does
     * not follow) ends now.
     */
    public static void asyncReturned(ObsSpan span, Throwable thrown) {
        if (span == null) {
            return;
        }
        if (HANDED_OFF.remove(span) != null) {
            // the stream thread ends it (with the error, if the stream saw one)
            Recorder.leaveSpan(span);
            return;
        }
        end(span, null, null, null, thrown);
    }

    /**
     * Called on the application's thread when docker-java hands a request to its stream thread: the
     * current docker span is taken over by the stream, keyed by its callback and its request.
     */
    public static void streamStarted(Object callback, Object request) {
        ObsSpan span = Recorder.currentSpan();
        if (span == null || span.spanKind != CLIENT || !span.name.startsWith(PREFIX) || callback == null
                || STREAMS.size() >= MAX_STREAMS) {
            return;
        }
        STREAMS.put(new IdentityKey(callback), span);
        if (request != null) {
            REQUESTS.put(new IdentityKey(request), span);
        }
        HANDED_OFF.put(span, Boolean.TRUE);
    }

    /**
     * Called when docker-java's callback sees the stream complete, fail or close (on any thread): ends
     * the stream's span once.
     */
    public static void streamEnded(Object callback, Throwable error) {
        ObsSpan span = STREAMS.remove(new IdentityKey(callback));
        if (span == null) {
            return;
        }
        REQUESTS.values().remove(span);
        if (Boolean.TRUE.equals(STREAM_THREADS.get(new IdentityKey(Thread.currentThread())))) {
            // the program closed the stream: what docker-java reports as an error is that close
            span.setAttribute(CLOSED_BY_CALLER, Boolean.TRUE);
            error = null;
        }
        if (error != null) {
            int status = httpStatus(error);
            if (status > 0 && stringAttribute(span, "http.response.status_code") == null) {
                span.setAttribute("http.response.status_code", (long) status);
            }
        }
        Recorder.endDetachedSpan(span, error);
    }

    /** On docker-java's stream thread, as its body starts: the thread is followed until it ends. */
    public static void streamThreadRunning() {
        if (STREAM_THREADS.size() < MAX_STREAMS) {
            STREAM_THREADS.put(new IdentityKey(Thread.currentThread()), Boolean.FALSE);
        }
    }

    /** On docker-java's stream thread, as its body ends (after the callback's onComplete or onError). */
    public static void streamThreadDone() {
        STREAM_THREADS.remove(new IdentityKey(Thread.currentThread()));
    }

    /**
     * On the program's thread, when it closes a stream (docker-java's closeable, before it interrupts
     * {@code streamThread}): the error the stream then reports is the close. A stream that already ended
     * (its thread's body has returned) is not marked.
     */
    public static void streamCloseRequested(Thread streamThread) {
        if (streamThread != null) {
            STREAM_THREADS.replace(new IdentityKey(streamThread), Boolean.FALSE, Boolean.TRUE);
        }
    }

    /**
     * {@code InvocationBuilder.header(String, String)} of a builder's class: found on its public interface
     * (the class itself is package-private), so one reflective call needs no access override; null when
     * the class has none.
     */
    private static final ClassValue<Method> HEADER = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            for (Class<?> i : type.getInterfaces()) {
                try {
                    return i.getMethod("header", String.class, String.class);
                } catch (NoSuchMethodException | RuntimeException | LinkageError e) {
                    // not this one
                }
            }
            return null;
        }
    };

    /**
     * Called when docker-java starts building a request ({@code get}, {@code post}...): adds the
     * {@code traceparent} of the current span (the operation's) to its headers, and its trace's
     * {@code tracestate} when obs keeps one, unless propagation is off.
     */
    public static void traceHeader(Object invocationBuilder) {
        String traceparent = W3cTraceContext.currentTraceparent();
        if (traceparent == null) {
            return;
        }
        Method header = HEADER.get(invocationBuilder.getClass());
        if (header != null) {
            try {
                header.invoke(invocationBuilder, W3cTraceContext.HEADER, traceparent);
                String tracestate = W3cTraceContext.currentTracestate();
                if (tracestate != null) {
                    header.invoke(invocationBuilder, W3cTraceContext.STATE_HEADER, tracestate);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // the header only
            }
        }
    }

    /**
     * Records the HTTP status of a request docker-java sent, on the thread that sent it: the current
     * docker span, or the stream the request belongs to.
     */
    public static void httpStatus(Object request, int status) {
        ObsSpan span = Recorder.currentSpan();
        if (span == null || span.spanKind != CLIENT || !span.name.startsWith(PREFIX)) {
            span = request == null ? null : REQUESTS.get(new IdentityKey(request));
        }
        if (span != null && status > 0) {
            span.setAttribute("http.response.status_code", (long) status);
        }
    }

    /**
     * {@code CreateContainerCmdExec} → {@code docker container create}, {@code LogContainerCmdExec} →
     * {@code docker container logs}, {@code ExecStartCmdExec} → {@code docker exec start},
     * {@code PullImageCmdExec} → {@code docker image pull}, {@code PingCmdExec} → {@code docker ping}.
     */
    public static String spanName(String executorSimpleName) {
        String base = executorSimpleName;
        for (String suffix : new String[] {"CmdExec", "Exec", "Cmd"}) {
            if (base.endsWith(suffix) && base.length() > suffix.length()) {
                base = base.substring(0, base.length() - suffix.length());
                break;
            }
        }
        java.util.List<String> words = new java.util.ArrayList<>();
        int from = 0;
        for (int i = 1; i <= base.length(); i++) {
            if (i == base.length() || Character.isUpperCase(base.charAt(i))) {
                words.add(base.substring(from, i).toLowerCase(java.util.Locale.ROOT));
                from = i;
            }
        }
        String object = null;
        StringBuilder verb = new StringBuilder();
        for (String w : words) {
            String singular = singular(w);
            if (object == null && isObject(singular)) {
                object = singular;
                continue;
            }
            if (verb.length() > 0) {
                verb.append('-');
            }
            verb.append(w.equals("log") ? "logs" : w);
        }
        if (object == null && (base.equals("Stats") || base.equals("Commit"))) {
            object = "container";
        }
        if (object == null) {
            return PREFIX + verb;
        }
        return verb.length() == 0 ? PREFIX + object : PREFIX + object + " " + verb;
    }

    private static String singular(String word) {
        return word.endsWith("s") && isObject(word.substring(0, word.length() - 1))
                ? word.substring(0, word.length() - 1) : word;
    }

    private static boolean isObject(String word) {
        switch (word) {
            case "container":
            case "image":
            case "network":
            case "volume":
            case "exec":
            case "service":
            case "secret":
            case "config":
            case "swarm":
            case "task":
                return true;
            default:
                return false;
        }
    }

    private static String stringAttribute(ObsSpan span, String key) {
        int n = span.attributeCount();
        for (int i = 0; i < n; i++) {
            if (key.equals(span.attributeKey(i))) {
                Object v = span.attributeValue(i);
                return v == null ? null : String.valueOf(v);
            }
        }
        return null;
    }

    /** {@code DockerException.getHttpStatus()} of an exception or its cause, else 0. */
    static int httpStatus(Throwable t) {
        for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause()) {
            if (t instanceof DockerException docker) {
                return docker.getHttpStatus();
            }
        }
        return 0;
    }

    /**
     * The engine endpoint of a command executor's client configuration ({@code unix:///var/run/docker.sock}):
     * {@code AbstrDockerCmdExec.dockerClientConfig.getDockerHost()}, read reflectively (docker-java's core,
     * relocated by Testcontainers).
     */
    static String endpoint(Object exec) {
        if (exec == null) {
            return null;
        }
        Object config = CONFIG_FIELD.get(exec.getClass()) instanceof Field f ? read(f, exec) : null;
        Method getDockerHost = config == null ? null : DOCKER_HOST.get(config.getClass());
        if (getDockerHost == null) {
            return null;
        }
        try {
            Object host = getDockerHost.invoke(config);
            return host == null ? null : host.toString();
        } catch (Throwable e) {
            return null;
        }
    }

    private static Object read(Field f, Object target) {
        try {
            return f.get(target);
        } catch (Throwable e) {
            return null;
        }
    }

    /** docker-java's {@code AbstrDockerCmdExec.dockerClientConfig}, found once per executor class. */
    private static final ClassValue<Object> CONFIG_FIELD = new ClassValue<Object>() {
        @Override
        protected Object computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField("dockerClientConfig");
                    f.setAccessible(true);
                    return f;
                } catch (Throwable ignored) {
                    // keep looking up the hierarchy
                }
            }
            return Boolean.FALSE;
        }
    };

    /** {@code DockerClientConfig.getDockerHost()} of a configuration class, found once; null when absent. */
    private static final ClassValue<Method> DOCKER_HOST = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("getDockerHost");
                if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    m.setAccessible(true);
                }
                return m;
            } catch (Throwable e) {
                return null;
            }
        }
    };

    /** Masked like every other attribute (a few microseconds on a 64-digit id); null stays null. */
    private static String masked(String value) {
        return value == null ? null : SecretMasker.mask(value);
    }
}
