package dev.obs.exporter;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

/**
 * Posts the span requests {@link OtlpSpanEncoder} writes to an OTLP/HTTP traces endpoint, through obs's
 * {@link UrlConnectionSender} with the settings the SDK exporter would have (timeouts, headers, gzip,
 * retries). A 2xx answer is success; anything else, or no answer, is a failure.
 */
final class OtlpHttpSpanPoster {
    private final UrlConnectionSender sender;

    OtlpHttpSpanPoster(ExporterSettings s, RetryPolicy retry, ExecutorService executor) {
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        s.headers().forEach((k, v) -> headers.put(k, List.of(v)));
        Compressor gzip = "gzip".equals(s.compression()) ? new Compressor() {
            @Override
            public String getEncoding() {
                return "gzip";
            }

            @Override
            public OutputStream compress(OutputStream out) throws java.io.IOException {
                return new GZIPOutputStream(out);
            }
        } : null;
        this.sender = new UrlConnectionSender(new Config(URI.create(s.tracesEndpoint()), gzip, s.otlpTimeout(),
                () -> headers, retry, executor));
    }

    CompletableResultCode post(byte[] request) {
        CompletableResultCode result = new CompletableResultCode();
        sender.send(new MessageWriter() {
            @Override
            public void writeMessage(OutputStream out) throws java.io.IOException {
                out.write(request);
            }

            @Override
            public int getContentLength() {
                return request.length;
            }
        }, response -> {
            if (response.getStatusCode() >= 200 && response.getStatusCode() < 300) {
                result.succeed();
            } else {
                result.fail();
            }
        }, error -> result.fail());
        return result;
    }

    CompletableResultCode shutdown() {
        return sender.shutdown();
    }

    private record Config(URI endpoint, Compressor compressor, Duration timeout,
                          Supplier<Map<String, List<String>>> headers, RetryPolicy retry, ExecutorService executor)
            implements HttpSenderConfig {
        @Override
        public URI getEndpoint() {
            return endpoint;
        }

        @Override
        public String getContentType() {
            return "application/x-protobuf";
        }

        @Override
        public Compressor getCompressor() {
            return compressor;
        }

        @Override
        public Duration getTimeout() {
            return timeout;
        }

        @Override
        public Duration getConnectTimeout() {
            return timeout;
        }

        @Override
        public Supplier<Map<String, List<String>>> getHeadersSupplier() {
            return headers;
        }

        @Override
        public ProxyOptions getProxyOptions() {
            return null;
        }

        @Override
        public RetryPolicy getRetryPolicy() {
            return retry;
        }

        @Override
        public SSLContext getSslContext() {
            return null;
        }

        @Override
        public X509TrustManager getTrustManager() {
            return null;
        }

        @Override
        public ExecutorService getExecutorService() {
            return executor;
        }
    }
}
