package dev.obs.exporter;

import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.http.LiveEndpoints;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens the {@link ExportSession} on a thread of its own ({@code obs-exporter-init}), so the exporter thread
 * keeps draining the span queue meanwhile: loading the SDK takes longer than a burst of a few hundred
 * thousand spans. At exit, when no record came before the shutdown began, the exporter thread opens it
 * itself ({@link #openHere}).
 */
final class SessionStarter {
    private final ExporterSettings settings;
    private final String version;
    private final long startEpochNanos;
    private final long epochOffsetNanos;
    private final MetricSource.Factory sourceFactory;
    private final LiveEndpoints live;
    /** Null until {@link #start}. */
    private Thread initializer;
    /**
     * Set by the initializing thread after it has written {@link #session} or {@link #failure}; the exporter
     * thread reads those only after reading true here (volatile write/read: happens-before).
     */
    private volatile boolean done;
    private ExportSession session;
    private Throwable failure;

    SessionStarter(ExporterSettings settings, String version, long startEpochNanos, long epochOffsetNanos,
                   MetricSource.Factory sourceFactory, LiveEndpoints live) {
        this.settings = settings;
        this.version = version;
        this.startEpochNanos = startEpochNanos;
        this.epochOffsetNanos = epochOffsetNanos;
        this.sourceFactory = sourceFactory;
        this.live = live;
    }

    /** Starts opening the session; {@code waiting} (the exporter thread) is unparked when it is done. */
    void start(Thread waiting) {
        initializer = new Thread("obs-exporter-init") {
            @Override
            public void run() {
                Recorder.suppressCurrentThread();
                try {
                    session = open();
                    rehearseMetricExport(session);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done = true;
                    LockSupport.unpark(waiting);
                }
            }
        };
        initializer.setDaemon(true);
        initializer.start();
    }

    boolean started() {
        return initializer != null;
    }

    /** Opens the session on the calling thread (no {@link #start} came before). */
    void openHere() {
        session = open();
        done = true;
    }

    /** Waits at most {@code millis} for the session started by {@link #start}. */
    void join(long millis) throws InterruptedException {
        initializer.join(millis);
    }

    /** True once the session is open; throws what stopped it from opening. */
    boolean ready() throws Throwable {
        if (!done) {
            return false;
        }
        if (failure != null) {
            throw failure;
        }
        return true;
    }

    /** The open session; only after {@link #ready} returned true. */
    ExportSession session() {
        return session;
    }

    /**
     * The first metric export's collecting and marshalling, done once here beside the program so that its
     * classes and cold code are not first met in a short program's exit (nothing is sent; see
     * {@link Destinations#rehearseMetricExport}). Not on {@link #openHere}: that is the exit.
     */
    private void rehearseMetricExport(ExportSession opened) {
        if (opened.destinations.isEmpty()) {
            return; // obs.exporter=none: no metric export will ever come
        }
        try {
            Destinations.rehearseMetricExport(settings,
                    opened.rehearsalMetrics(startEpochNanos, System.nanoTime() + epochOffsetNanos));
        } catch (RuntimeException | LinkageError e) {
            // only a rehearsal: the first real export meets the same problem and reports it
        }
    }

    private ExportSession open() {
        return ExportSession.open(settings, version, startEpochNanos, epochOffsetNanos, sourceFactory, live);
    }
}
