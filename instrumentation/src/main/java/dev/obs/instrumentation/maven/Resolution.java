package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.exporter.maven.DependencyStatistics.Scope;
import java.util.HashSet;
import java.util.Set;

/**
 * One collection, artifact or metadata resolution open on a thread: its span (null when obs records nothing
 * on this thread) and what the repository events during it said. Used by one thread only: the resolver
 * dispatches an artifact's events on the thread that asked for it, also when the connector downloaded it on
 * threads of its own.
 */
final class Resolution {
    final Scope scope;
    final ObsSpan span;
    final Resolution outer;
    final long startNanos = System.nanoTime();
    /** Artifacts ({@code Artifact.toString()}) with a download event in this resolution: counted there. */
    private Set<String> downloadEvents;
    long local;
    long downloaded;
    long notFound;
    long failed;
    /** Artifacts missing because an earlier miss was remembered ({@code .lastUpdated}) and not retried. */
    long cachedMisses;
    long checksumFailures;
    /**
     * Metadata in remote repositories ({@code repository id + metadata}): looked up, and of those downloaded
     * (checked remotely). Sets, as resolver 1.9 reports the lookup of one repository more than once.
     */
    private Set<String> metadataLookups;
    private Set<String> metadataChecks;

    Resolution(Scope scope, ObsSpan span, Resolution outer) {
        this.scope = scope;
        this.span = span;
        this.outer = outer;
    }

    void downloadEvent(String artifact) {
        if (downloadEvents == null) {
            downloadEvents = new HashSet<>();
        }
        downloadEvents.add(artifact);
    }

    void metadataLookup(String key) {
        if (metadataLookups == null) {
            metadataLookups = new HashSet<>();
        }
        metadataLookups.add(key);
    }

    void metadataCheck(String key) {
        if (metadataChecks == null) {
            metadataChecks = new HashSet<>();
        }
        metadataChecks.add(key);
    }

    /** Remote repositories asked for metadata this resolution. */
    long metadataRemoteChecks() {
        return metadataChecks == null ? 0 : metadataChecks.size();
    }

    /** Metadata looked up in a remote repository that the update policy let be (the local copy or miss stood). */
    long metadataUpToDate() {
        if (metadataLookups == null) {
            return 0;
        }
        long n = 0;
        for (String key : metadataLookups) {
            if (metadataChecks == null || !metadataChecks.contains(key)) {
                n++;
            }
        }
        return n;
    }

    boolean hadDownloadEvent(String artifact) {
        return downloadEvents != null && downloadEvents.contains(artifact);
    }
}
