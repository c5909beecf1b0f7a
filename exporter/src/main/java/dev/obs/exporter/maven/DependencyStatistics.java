package dev.obs.exporter.maven;

import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import dev.obs.exporter.StripedHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Maven family's metric instruments, declared once and typed, and what the exit summary shows of the
 * builds: one per JVM, in the agent's class loader, fed by the family's helpers (which are defined once per
 * Maven class loader and share this class) and read by {@link MavenSummary}.
 *
 * <p>Every series is an exact one of the metric path ({@link ExactMetrics}): counted whether or not a span is
 * sampled, never dropped. Series are created on first use of their attribute values (a repository id seen
 * for the first time) under a lock (no lambda: linking one costs a millisecond on the build's thread
 * that first records); afterwards recording is a map lookup and an atomic add, no
 * allocation.
 */
public final class DependencyStatistics {
    public static final String RESOLUTION_DURATION = "dependency.resolution.duration";
    public static final String ARTIFACTS = "dependency.artifacts";
    public static final String TRANSFER_BYTES = "dependency.transfer.bytes";
    public static final String TRANSFER_DURATION = "dependency.transfer.duration";
    public static final String MOJO_DURATION = "maven.mojo.duration";

    /** What a resolution resolved: {@code dependency.scope}. */
    public enum Scope {
        COLLECT, ARTIFACT, METADATA;

        final String value = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Where one artifact came from, or why not: {@code dependency.result}. */
    public enum ArtifactResult {
        LOCAL, DOWNLOADED, NOT_FOUND, FAILED;

        final String value = name().toLowerCase(java.util.Locale.ROOT);
    }

    public enum Direction {
        DOWNLOAD, UPLOAD;

        final String value = name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A transfer the summary lists among the slowest. */
    public record SlowTransfer(String repository, String resource, long bytes, long nanos) {
    }

    static final int SLOWEST = 5;

    private static final StripedHistogram[] RESOLUTIONS = new StripedHistogram[Scope.values().length * 2];
    @SuppressWarnings("unchecked")
    private static final Map<String, ExactCounter>[] ARTIFACT_COUNTS = new Map[ArtifactResult.values().length];
    @SuppressWarnings("unchecked")
    private static final Map<String, ExactCounter>[] BYTES = new Map[Direction.values().length];
    private static final Map<String, StripedHistogram> TRANSFER_TIMES = new ConcurrentHashMap<>();
    private static final Map<String, Map<String, StripedHistogram>> MOJOS = new ConcurrentHashMap<>();
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final AtomicLong BUILD_NANOS = new AtomicLong();
    private static final AtomicLong RESOLUTION_NANOS = new AtomicLong();
    private static final SlowTransfer[] SLOW = new SlowTransfer[SLOWEST];

    static {
        for (int i = 0; i < ARTIFACT_COUNTS.length; i++) {
            ARTIFACT_COUNTS[i] = new ConcurrentHashMap<>();
        }
        for (int i = 0; i < BYTES.length; i++) {
            BYTES[i] = new ConcurrentHashMap<>();
        }
    }

    private DependencyStatistics() {
    }

    /** One collection, artifact or metadata resolution ended after {@code nanos}. */
    public static void resolution(Scope scope, boolean failed, long nanos) {
        int i = scope.ordinal() * 2 + (failed ? 1 : 0);
        StripedHistogram h = RESOLUTIONS[i];
        if (h == null) {
            synchronized (RESOLUTIONS) {
                h = RESOLUTIONS[i];
                if (h == null) {
                    h = ExactMetrics.histogram(RESOLUTION_DURATION,
                            "Time Maven's resolver spent collecting dependencies and resolving artifacts and metadata",
                            new String[] {"dependency.scope", "outcome"},
                            new String[] {scope.value, failed ? "failure" : "success"}, null);
                    RESOLUTIONS[i] = h;
                }
            }
        }
        h.record(nanos, failed);
    }

    /**
     * Time of a resolution that no other resolution on its thread encloses, so that the summary's "time in
     * resolution" counts a nested one (the POMs a collection reads) once.
     */
    public static void outermostResolution(long nanos) {
        RESOLUTION_NANOS.addAndGet(nanos);
    }

    /** One artifact resolved ({@code repository}: a repository id, {@code local} or {@code reactor}). */
    public static void artifact(ArtifactResult result, String repository) {
        Map<String, ExactCounter> byRepository = ARTIFACT_COUNTS[result.ordinal()];
        ExactCounter c = byRepository.get(repository);
        if (c == null) {
            synchronized (byRepository) {
                c = byRepository.get(repository);
                if (c == null) {
                    c = ExactMetrics.counter(ARTIFACTS, "{artifact}",
                            "Artifacts Maven's resolver resolved, by where they came from or why not",
                            new String[] {"dependency.result", "repository"}, new String[] {result.value, repository});
                    byRepository.put(repository, c);
                }
            }
        }
        c.add(1);
    }

    /** One transfer (a GET, PUT or HEAD) with {@code repository} ended after {@code nanos}. */
    public static void transfer(String repository, Direction direction, long bytes, long nanos, String resource) {
        StripedHistogram h = TRANSFER_TIMES.get(repository);
        if (h == null) {
            synchronized (TRANSFER_TIMES) {
                h = TRANSFER_TIMES.get(repository);
                if (h == null) {
                    h = ExactMetrics.histogram(TRANSFER_DURATION,
                            "Time of each transfer from or to a remote Maven repository",
                            new String[] {"repository"}, new String[] {repository}, null);
                    TRANSFER_TIMES.put(repository, h);
                }
            }
        }
        h.record(nanos, false);
        if (bytes > 0) {
            Map<String, ExactCounter> byRepository = BYTES[direction.ordinal()];
            ExactCounter c = byRepository.get(repository);
            if (c == null) {
                synchronized (byRepository) {
                    c = byRepository.get(repository);
                    if (c == null) {
                        c = ExactMetrics.counter(TRANSFER_BYTES, "By",
                                "Bytes transferred from or to a remote Maven repository",
                                new String[] {"repository", "direction"}, new String[] {repository, direction.value});
                        byRepository.put(repository, c);
                    }
                }
            }
            c.add(bytes);
        }
        noteSlow(repository, resource, bytes, nanos);
    }

    /** One mojo execution ended after {@code nanos}. */
    public static void mojo(String plugin, String goal, boolean failed, long nanos) {
        Map<String, StripedHistogram> goals = MOJOS.get(plugin);
        StripedHistogram h = goals == null ? null : goals.get(goal);
        if (h == null) {
            synchronized (MOJOS) {
                goals = MOJOS.get(plugin);
                if (goals == null) {
                    goals = new ConcurrentHashMap<>();
                    MOJOS.put(plugin, goals);
                }
                h = goals.get(goal);
                if (h == null) {
                    h = ExactMetrics.histogram(MOJO_DURATION, "Time of each mojo execution",
                            new String[] {"plugin", "goal"}, new String[] {plugin, goal}, null);
                    goals.put(goal, h);
                }
            }
        }
        h.record(nanos, failed);
    }

    /** One Maven build (Maven's own entry point) ended after {@code nanos}. */
    public static void build(long nanos) {
        BUILDS.incrementAndGet();
        BUILD_NANOS.addAndGet(nanos);
    }

    private static void noteSlow(String repository, String resource, long bytes, long nanos) {
        synchronized (SLOW) {
            SlowTransfer last = SLOW[SLOWEST - 1];
            if (last != null && last.nanos >= nanos) {
                return;
            }
            int i = SLOWEST - 1;
            while (i > 0 && (SLOW[i - 1] == null || SLOW[i - 1].nanos < nanos)) {
                SLOW[i] = SLOW[i - 1];
                i--;
            }
            SLOW[i] = new SlowTransfer(repository, resource, bytes, nanos);
        }
    }

    // ---------------------------------------------------------------- read by the summary

    static long builds() {
        return BUILDS.get();
    }

    static long buildNanos() {
        return BUILD_NANOS.get();
    }

    static long resolutionNanos() {
        return RESOLUTION_NANOS.get();
    }

    static long artifacts(ArtifactResult result, String repository) {
        ExactCounter c = ARTIFACT_COUNTS[result.ordinal()].get(repository);
        return c == null ? 0 : c.value();
    }

    static List<String> repositories() {
        List<String> ids = new ArrayList<>();
        for (Map<String, ExactCounter> byRepository : ARTIFACT_COUNTS) {
            for (String id : byRepository.keySet()) {
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        for (String id : TRANSFER_TIMES.keySet()) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        ids.sort(null);
        return ids;
    }

    static long bytes(String repository) {
        long sum = 0;
        for (Map<String, ExactCounter> byRepository : BYTES) {
            ExactCounter c = byRepository.get(repository);
            sum += c == null ? 0 : c.value();
        }
        return sum;
    }

    /** Transfers and their summed time with {@code repository}: {count, nanos}. */
    static long[] transfers(String repository) {
        StripedHistogram h = TRANSFER_TIMES.get(repository);
        if (h == null) {
            return new long[2];
        }
        StripedHistogram.Snapshot s = h.snapshot();
        return new long[] {s.count, s.sum};
    }

    static List<SlowTransfer> slowest() {
        synchronized (SLOW) {
            List<SlowTransfer> list = new ArrayList<>();
            for (SlowTransfer t : SLOW) {
                if (t != null) {
                    list.add(t);
                }
            }
            return list;
        }
    }
}
