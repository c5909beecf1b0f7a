package dev.obs.exporter;

import dev.obs.bootstrap.otel.OtelBridge;
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
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketTimeoutException;
import java.net.URI;
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
 * {@link Authenticator}, no caches, no redirects. Retries follow the exporter's {@link RetryPolicy}: status
 * 429, 502, 503, 504 and connection failures, with jittered exponential backoff, until the program exits:
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
                    OtelBridge.runUninstrumented(this);
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
        HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection(proxyFor(endpoint));
        try {
            if (c instanceof HttpsURLConnection https && config.getSslContext() != null) {
                https.setSSLSocketFactory(config.getSslContext().getSocketFactory());
            }
            c.setAuthenticator(NO_AUTHENTICATION);
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
