package dev.obs.instrumentation.docker;

import dev.obs.bootstrap.ContainerRegistry;
import dev.obs.bootstrap.IdentityKey;
import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.bootstrap.otel.W3cTraceContext;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the docker-java advice records: a CLIENT span per Docker API operation ({@code docker container
 * create}, {@code docker image pull}...), named after docker-java's command executor class, with the
 * container id, name and image read from the command object and the HTTP status of the engine's answer.
 *
 * <p>The advice passes docker-java objects as {@code Object}; this class reads them through public getters
 * looked up once per class (so it needs no docker-java class and works with any 3.x version that keeps the
 * getter names). A getter that is missing or throws costs its attribute, never the call.
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
            span.setAttribute("container.id", text(command, "getContainerId"));
            if (name.equals("docker container create")) {
                span.setAttribute("container.name", text(command, "getName"));
                span.setAttribute("container.image.name", text(command, "getImage"));
            } else if (name.startsWith("docker image ")) {
                String image = text(command, "getImageId");
                if (image == null) {
                    image = text(command, "getRepository");
                    String tag = image == null ? null : text(command, "getTag");
                    if (tag != null && !tag.isEmpty()) {
                        image = image + ":" + tag;
                    }
                }
                span.setAttribute("container.image.name", image);
            } else if (name.startsWith("docker exec ")) {
                span.setAttribute("docker.exec.id", text(command, "getExecId"));
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
            if (name.equals("docker container create") && result != null) {
                id = text(result, "getId");
                span.setAttribute("container.id", id);
            } else if (name.equals("docker exec create") && result != null) {
                span.setAttribute("docker.exec.id", text(result, "getId"));
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
            Object status = call(t, "getHttpStatus");
            if (status instanceof Integer) {
                return (Integer) status;
            }
        }
        return 0;
    }

    /** The engine endpoint of a command executor's client configuration ({@code unix:///var/run/docker.sock}). */
    static String endpoint(Object exec) {
        if (exec == null) {
            return null;
        }
        Object config = CONFIG_FIELD.get(exec.getClass()) instanceof Field f ? read(f, exec) : null;
        Object host = config == null ? null : call(config, "getDockerHost");
        return host == null ? null : host.toString();
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

    /** A getter's value as text, masked like every other attribute (a few microseconds on a 64-digit id). */
    private static String text(Object target, String getter) {
        Object v = call(target, getter);
        if (v == null) {
            return null;
        }
        String s = v.toString();
        return SecretMasker.mask(s);
    }

    /** Calls a public no-argument getter, looked up once per class; null when absent or failing. */
    static Object call(Object target, String getter) {
        if (target == null) {
            return null;
        }
        Method m = GETTERS.get(target.getClass()).find(getter);
        if (m == null) {
            return null;
        }
        try {
            return m.invoke(target);
        } catch (Throwable e) {
            return null;
        }
    }

    private static final ClassValue<Getters> GETTERS = new ClassValue<Getters>() {
        @Override
        protected Getters computeValue(Class<?> type) {
            return new Getters(type);
        }
    };

    /** The getters of one class, resolved on first use (a public method of a non-public class is made accessible). */
    private static final class Getters {
        private final Class<?> type;
        private final ConcurrentHashMap<String, Object> methods = new ConcurrentHashMap<>();

        Getters(Class<?> type) {
            this.type = type;
        }

        Method find(String name) {
            Object m = methods.get(name);
            if (m == null) {
                m = lookup(name);
                methods.putIfAbsent(name, m);
            }
            return m instanceof Method ? (Method) m : null;
        }

        private Object lookup(String name) {
            try {
                Method m = type.getMethod(name);
                if (m.getParameterCount() != 0) {
                    return Boolean.FALSE;
                }
                if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    m.setAccessible(true);
                }
                return m;
            } catch (Throwable e) {
                return Boolean.FALSE;
            }
        }
    }
}
