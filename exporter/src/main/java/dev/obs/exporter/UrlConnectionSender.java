package dev.obs.exporter;

import dev.obs.exporter.otel.OtelContexts;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.CookieHandler;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.URLStreamHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.HttpsURLConnection;

/**
 * OTLP/HTTP over {@link HttpURLConnection}, the sender obs gives the OpenTelemetry exporters (handed to them
 * by {@code Destinations}, and listed in {@link HttpSenderProvider}'s service file). The JDK's
 * {@code java.net.http.HttpClient}, which the SDK's own JDK sender uses, costs about 0.7 s of CPU and 1.2 s
 * of wall time before its first request here (its module's classes, a selector thread, and the default TLS
 * context even for {@code http://}); a HttpURLConnection post costs about 40 ms, and TLS is set up only for
 * {@code https://} endpoints.
 *
 * <p>The application's global HTTP settings are kept out: no proxy unless obs is given one, no
 * {@link Authenticator}, no cookies, not the program's URL stream handlers (see {@link JdkHttp}), no caches,
 * no redirects. Retries follow the exporter's {@link RetryPolicy}: status 429, 502, 503, 504 and connection
 * failures, with jittered exponential backoff, until the program exits:
 * from {@link #stopRetrying()} on, a failed attempt is final and a backoff under way ends at once, so a
 * collector that refuses connections costs the exit one refused connect per export, not seconds of backoff.
 */
final class UrlConnectionSender implements HttpSender {
    private static final Authenticator NO_AUTHENTICATION = new Authenticator() {
    };

    /** Guards {@link #retrying}; backoffs wait on it so that {@link #stopRetrying()} ends them. */
    private static final Object RETRY_LOCK = new Object();
    private static boolean retrying = true;

    private final HttpSenderConfig config;
    private final ExecutorService executor;
    private final boolean ownExecutor;
    /**
     * Requests on their way, disconnected by {@link #shutdown}: a thread blocked reading a collector that never
     * answers is in native code, and the JVM's exit waits up to 300 ms for such threads after the shutdown hooks
     * have run (past {@code obs.shutdown.timeout}). Closing the socket ends the read with an exception.
     */
    private final java.util.Set<HttpURLConnection> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    UrlConnectionSender(HttpSenderConfig config) {
        this.config = config;
        ExecutorService given = config.getExecutorService();
        this.ownExecutor = given == null;
        this.executor = given != null ? given : Executors.newSingleThreadExecutor(Destinations.suppressedDaemons());
    }

    /** The service-file entry point. */
    public static final class Provider implements HttpSenderProvider {
        @Override
        public HttpSender createSender(HttpSenderConfig config) {
            return new UrlConnectionSender(config);
        }
    }

    /** From now on no export is retried, and backoffs under way end (their attempt failed). */
    static void stopRetrying() {
        synchronized (RETRY_LOCK) {
            retrying = false;
            RETRY_LOCK.notifyAll();
        }
    }

    /** Waits {@code millis} unless retries stop first; false when they have. */
    private static boolean backOff(long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (RETRY_LOCK) {
            long left;
            while (retrying && (left = end - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(RETRY_LOCK, left);
            }
            return retrying;
        }
    }

    private static boolean retrying() {
        synchronized (RETRY_LOCK) {
            return retrying;
        }
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        executor.execute(new Runnable() {
            /** False on the way in: the first run() hands itself to the bridge, which runs it again. */
            private boolean uninstrumented;

            @Override
            public void run() {
                if (!uninstrumented) {
                    // an OpenTelemetry agent in the same JVM would trace this POST as the program's HTTP call
                    // (a second run() rather than a lambda: the first lambda costs milliseconds of bootstrap)
                    uninstrumented = true;
                    OtelContexts.runUninstrumented(this);
                    return;
                }
                HttpResponse response;
                try {
                    response = sendWithRetries(message);
                } catch (Throwable t) {
                    onError.accept(t);
                    return;
                }
                onResponse.accept(response);
            }
        });
    }

    private HttpResponse sendWithRetries(MessageWriter message) throws IOException, InterruptedException {
        RetryPolicy retry = config.getRetryPolicy();
        int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
        long backoffNanos = retry == null ? 0 : retry.getInitialBackoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= attempts || !retrying();
            Response response;
            try {
                response = sendOnce(message);
            } catch (IOException e) {
                if (last || !retryable(retry, e) || !backOff(jittered(backoffNanos))) {
                    throw e;
                }
                backoffNanos = nextBackoff(retry, backoffNanos);
                continue;
            }
            if (last || !retryable(response.status) || !backOff(jittered(backoffNanos))) {
                return response;
            }
            backoffNanos = nextBackoff(retry, backoffNanos);
        }
    }

    private static long jittered(long backoffNanos) {
        return Math.max(1, ThreadLocalRandom.current().nextLong(backoffNanos + 1) / 1_000_000L);
    }

    private static long nextBackoff(RetryPolicy retry, long backoffNanos) {
        return Math.min((long) (backoffNanos * retry.getBackoffMultiplier()), retry.getMaxBackoff().toNanos());
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static boolean retryable(RetryPolicy retry, IOException e) {
        Predicate<IOException> predicate = retry.getRetryExceptionPredicate();
        return predicate != null ? predicate.test(e)
                : e instanceof ConnectException || e instanceof NoRouteToHostException
                        || e instanceof SocketTimeoutException;
    }

    private Response sendOnce(MessageWriter message) throws IOException {
        URI endpoint = config.getEndpoint();
        HttpURLConnection c = (HttpURLConnection) JdkHttp.url(endpoint).openConnection(proxyFor(endpoint));
        inFlight.add(c);
        try {
            if (c instanceof HttpsURLConnection https && config.getSslContext() != null) {
                https.setSSLSocketFactory(config.getSslContext().getSocketFactory());
            }
            c.setAuthenticator(NO_AUTHENTICATION);
            JdkHttp.refuseCookies(c);
            c.setUseCaches(false);
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(millis(config.getConnectTimeout().toMillis()));
            c.setReadTimeout(millis(config.getTimeout().toMillis()));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", config.getContentType());
            Map<String, List<String>> headers = config.getHeadersSupplier() == null ? null
                    : config.getHeadersSupplier().get();
            if (headers != null) {
                for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                    for (String value : h.getValue()) {
                        c.addRequestProperty(h.getKey(), value);
                    }
                }
            }
            Compressor compressor = config.getCompressor();
            if (compressor != null) {
                c.setRequestProperty("Content-Encoding", compressor.getEncoding());
                c.setChunkedStreamingMode(0);
                try (OutputStream out = compressor.compress(c.getOutputStream())) {
                    message.writeMessage(out);
                }
            } else {
                c.setFixedLengthStreamingMode(message.getContentLength());
                try (OutputStream out = c.getOutputStream()) {
                    message.writeMessage(out);
                }
            }
            int status = c.getResponseCode();
            byte[] body;
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                // read to the end (bounded) so the connection can be kept alive for the next batch
                body = in == null ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8,
                        config.getMaxResponseBodySize() > 0 ? config.getMaxResponseBodySize() : 4L << 20));
            }
            return new Response(status, c.getResponseMessage() == null ? "" : c.getResponseMessage(), body);
        } catch (IOException e) {
            c.disconnect();
            throw e;
        } finally {
            inFlight.remove(c);
        }
    }

    /**
     * The JDK's own HTTP, not the program's. {@code URI.toURL()} asks the program's URLStreamHandlerFactory
     * (installed with {@code URL.setURLStreamHandlerFactory}) for the handler, so obs's requests would be the
     * program's handler's to open; obs names the JDK's handler itself. And the JDK's connection takes the
     * program's {@link CookieHandler#getDefault()} when it is created, with no setting to refuse it: it would
     * send the program's cookies for the collector's host and keep the collector's in the program's cookie
     * jar, so obs clears the connection's {@code cookieHandler} (the https connection's {@code delegate}'s for
     * https). Both through the packages the agent opens to obs (AgentInstaller); where they are not open,
     * {@code toURL()} and the JDK's connection as it is made. A class of its own: loaded at the first request,
     * not with {@link #stopRetrying()}.
     */
    private static final class JdkHttp {
        private static final URLStreamHandler HTTP = handler("sun.net.www.protocol.http.Handler");
        private static final URLStreamHandler HTTPS = HTTP == null ? null
                : handler("sun.net.www.protocol.https.Handler");
        private static final VarHandle COOKIE_HANDLER = HTTP == null ? null
                : field("sun.net.www.protocol.http.HttpURLConnection", "cookieHandler", CookieHandler.class);
        private static final VarHandle HTTPS_DELEGATE = COOKIE_HANDLER == null ? null
                : field("sun.net.www.protocol.https.HttpsURLConnectionImpl", "delegate",
                        classOrNull("sun.net.www.protocol.https.DelegateHttpsURLConnection"));

        private JdkHttp() {
        }

        @SuppressWarnings("deprecation") // URL.of(URI, handler) is Java 20's
        static URL url(URI endpoint) throws IOException {
            URLStreamHandler handler = "https".equalsIgnoreCase(endpoint.getScheme()) ? HTTPS
                    : "http".equalsIgnoreCase(endpoint.getScheme()) ? HTTP : null;
            return handler == null ? endpoint.toURL() : new URL(null, endpoint.toString(), handler);
        }

        static void refuseCookies(HttpURLConnection c) {
            if (COOKIE_HANDLER == null) {
                return;
            }
            Object connection = c;
            if (HTTPS_DELEGATE != null && HTTPS_DELEGATE.coordinateTypes().get(0).isInstance(c)) {
                connection = HTTPS_DELEGATE.get(c);
            }
            if (COOKIE_HANDLER.coordinateTypes().get(0).isInstance(connection)) {
                COOKIE_HANDLER.set(connection, (CookieHandler) null);
            }
        }

        private static URLStreamHandler handler(String className) {
            try {
                Class<?> type = Class.forName(className, false, null);
                return (URLStreamHandler) MethodHandles.privateLookupIn(type, MethodHandles.lookup())
                        .findConstructor(type, MethodType.methodType(void.class)).invoke();
            } catch (Throwable t) {
                return null;
            }
        }

        private static VarHandle field(String className, String name, Class<?> type) {
            try {
                Class<?> owner = Class.forName(className, false, null);
                return type == null ? null
                        : MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static Class<?> classOrNull(String name) {
            try {
                return Class.forName(name, false, null);
            } catch (ClassNotFoundException e) {
                return null;
            }
        }
    }

    private Proxy proxyFor(URI endpoint) {
        if (config.getProxyOptions() == null) {
            return Proxy.NO_PROXY;
        }
        ProxySelector selector = config.getProxyOptions().getProxySelector();
        List<Proxy> proxies = selector == null ? null : selector.select(endpoint);
        return proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
    }

    private static int millis(long value) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, value));
    }

    @Override
    public CompletableResultCode shutdown() {
        if (ownExecutor) {
            executor.shutdownNow();
        }
        for (HttpURLConnection c : inFlight) {
            c.disconnect();
        }
        return CompletableResultCode.ofSuccess();
    }

    private record Response(int status, String message, byte[] body) implements HttpResponse {
        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getStatusMessage() {
            return message;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
