package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.bootstrap.SecretMasker;
import dev.obs.exporter.maven.DependencyStatistics;
import dev.obs.exporter.maven.DependencyStatistics.Direction;
import java.io.File;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.spi.connector.transport.GetTask;
import org.eclipse.aether.spi.connector.transport.PutTask;
import org.eclipse.aether.spi.connector.transport.TransportTask;
import org.eclipse.aether.spi.connector.transport.Transporter;

/**
 * One span per transfer at the transport SPI ({@code GET}, {@code PUT}, {@code HEAD}), a CLIENT span under
 * the resolution that caused it (on the connector's own threads too: the task carries the span there), and
 * {@code dependency.transfer.bytes} and {@code dependency.transfer.duration} by repository.
 *
 * <p>Bytes are what the transport moved: for a GET, the length of what it wrote less what was there before
 * (a resumed download), for a PUT the length of what it sent; a failed transfer counts none.
 */
final class TransferRecorder {
    static final String REPOSITORY = "maven.repository";
    static final String RESOURCE = "maven.resource";
    static final String BYTES = "maven.transfer.bytes";
    static final String OUTCOME = "maven.transfer.outcome";

    /** Transporter to the repository it was made for; a transporter's lifetime is one connector's. */
    private static final Map<Transporter, RemoteRepository> REPOSITORIES =
            Collections.synchronizedMap(new WeakHashMap<>());
    /** The task being transferred on this thread: a transporter whose get calls another woven get opens one span. */
    private static final ThreadLocal<TransportTask> ACTIVE = new ThreadLocal<>();

    private TransferRecorder() {
    }

    static void transporterCreated(Object transporter, RemoteRepository repository) {
        if (transporter instanceof Transporter t && repository != null) {
            REPOSITORIES.put(t, repository);
        }
    }

    static ObsSpan started(Transporter transporter, TransportTask task) {
        if (task == null || ACTIVE.get() == task) {
            return null;
        }
        RemoteRepository repository = REPOSITORIES.get(transporter);
        String method = method(task);
        ObsSpan span = Recorder.startSpan("maven " + method);
        if (span == null) {
            return null;
        }
        ACTIVE.set(task);
        span.spanKind = 2; // CLIENT
        String resource = String.valueOf(task.getLocation());
        span.setAttribute("http.request.method", method);
        span.setAttribute(REPOSITORY, repositoryId(repository));
        span.setAttribute(RESOURCE, resource);
        if (repository != null) {
            String base = repository.getUrl();
            span.setAttribute("url.full", SecretMasker.mask(base.endsWith("/") ? base + resource : base + "/" + resource));
        }
        return span;
    }

    static void ended(ObsSpan span, Transporter transporter, TransportTask task, Throwable thrown) {
        if (span == null) {
            return;
        }
        ACTIVE.remove();
        long bytes = thrown == null ? bytes(task) : 0;
        String outcome = thrown == null ? "ok"
                : transporter.classify(thrown) == Transporter.ERROR_NOT_FOUND ? "not_found" : "failed";
        span.setAttribute(BYTES, bytes);
        span.setAttribute(OUTCOME, outcome);
        // a repository without the resource is an answer, not an error: its exception is not recorded
        Recorder.endSpan(span, outcome.equals("failed") ? thrown : null);
        DependencyStatistics.transfer(repositoryId(REPOSITORIES.get(transporter)),
                task instanceof PutTask ? Direction.UPLOAD : Direction.DOWNLOAD, bytes,
                span.endNanos - span.startNanos, String.valueOf(task.getLocation()));
    }

    static String method(TransportTask task) {
        return task instanceof GetTask ? "GET" : task instanceof PutTask ? "PUT" : "HEAD";
    }

    private static long bytes(TransportTask task) {
        if (task instanceof GetTask get) {
            File file = get.getDataFile();
            return file != null ? Math.max(0, file.length() - get.getResumeOffset()) : get.getDataBytes().length;
        }
        if (task instanceof PutTask put) {
            return Math.max(0, put.getDataLength());
        }
        return 0;
    }

    private static String repositoryId(RemoteRepository repository) {
        return repository != null ? repository.getId() : "unknown";
    }
}
