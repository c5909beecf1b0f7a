package dev.obs.instrumentation.maven;

import dev.obs.bootstrap.ObsSpan;
import dev.obs.bootstrap.Recorder;
import dev.obs.exporter.maven.DependencyStatistics;
import dev.obs.exporter.maven.DependencyStatistics.ArtifactResult;
import dev.obs.exporter.maven.DependencyStatistics.Scope;
import java.util.Collection;
import java.util.List;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.collection.CollectResult;
import org.eclipse.aether.metadata.Metadata;
import org.eclipse.aether.repository.ArtifactRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.MetadataRequest;
import org.eclipse.aether.resolution.MetadataResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.ChecksumFailureException;
import org.eclipse.aether.transfer.MetadataNotFoundException;

/**
 * Dependency collection, artifact and metadata resolution: their spans, {@code dependency.resolution.duration},
 * and, from the resolver's repository events, {@code dependency.artifacts}: each artifact's outcome per
 * repository it was looked for in.
 *
 * <p>How an artifact is counted, from the events the resolver dispatches while resolving it:
 * <ul>
 *   <li>{@code ARTIFACT_DOWNLOADED}, one per repository asked: {@code downloaded}, {@code not_found} or
 *       {@code failed} for that repository (so an artifact looked for in two repositories before the third had
 *       it counts twice {@code not_found} and once {@code downloaded}).</li>
 *   <li>{@code ARTIFACT_RESOLVED} with no download event for the artifact in the same resolution: found where
 *       it already was: {@code local} (repository {@code local}, or {@code reactor} for a module of the build);
 *       unresolved: a miss the resolver remembered and did not retry ({@code .lastUpdated} and the update
 *       policy), counted {@code not_found} or {@code failed} for the repository its error names.</li>
 * </ul>
 */
final class ResolutionRecorder {
    static final String COLLECT = "maven collect";
    static final String ARTIFACTS = "maven resolve artifacts";
    static final String METADATA = "maven resolve metadata";
    static final String LOCAL = "local";
    static final String REACTOR = "reactor";

    private static final ThreadLocal<Resolution> CURRENT = new ThreadLocal<>();

    private ResolutionRecorder() {
    }

    static Resolution collectStarted(CollectRequest request) {
        Resolution r = start(Scope.COLLECT, COLLECT);
        if (r.span != null) {
            r.span.setAttribute("maven.request.context", request.getRequestContext());
            Artifact root = request.getRoot() != null ? request.getRoot().getArtifact() : request.getRootArtifact();
            if (root != null) {
                r.span.setAttribute("maven.root", root.toString());
            }
            r.span.setAttribute("maven.dependencies", (long) request.getDependencies().size());
        }
        return r;
    }

    static void collectEnded(Resolution r, CollectResult result, Throwable thrown) {
        if (r != null && r.span != null && result != null && result.getRoot() != null) {
            r.span.setAttribute("maven.dependencies.direct", (long) result.getRoot().getChildren().size());
        }
        end(r, thrown != null, thrown);
    }

    static Resolution artifactsStarted(Collection<? extends ArtifactRequest> requests) {
        Resolution r = start(Scope.ARTIFACT, ARTIFACTS);
        if (r.span != null) {
            r.span.setAttribute("maven.artifact.count", (long) requests.size());
            ArtifactRequest first = requests.isEmpty() ? null : requests.iterator().next();
            if (first != null) {
                if (requests.size() == 1) {
                    r.span.setAttribute("maven.artifact", first.getArtifact().toString());
                }
                r.span.setAttribute("maven.request.context", first.getRequestContext());
            }
        }
        return r;
    }

    static void artifactsEnded(Resolution r, Throwable thrown) {
        if (r != null && r.span != null) {
            ObsSpan s = r.span;
            s.setAttribute("maven.artifacts.local", r.local);
            s.setAttribute("maven.artifacts.downloaded", r.downloaded);
            s.setAttribute("maven.artifacts.not_found", r.notFound);
            s.setAttribute("maven.artifacts.failed", r.failed);
            if (r.cachedMisses > 0) {
                s.setAttribute("maven.artifacts.cached_misses", r.cachedMisses);
            }
            if (r.checksumFailures > 0) {
                s.setAttribute("maven.checksum.failures", r.checksumFailures);
            }
        }
        end(r, thrown != null, thrown);
    }

    static Resolution metadataStarted(Collection<? extends MetadataRequest> requests) {
        Resolution r = start(Scope.METADATA, METADATA);
        if (r.span != null) {
            r.span.setAttribute("maven.metadata.count", (long) requests.size());
            MetadataRequest first = requests.isEmpty() ? null : requests.iterator().next();
            if (first != null && first.getMetadata() != null) {
                r.span.setAttribute("maven.metadata", describe(first.getMetadata()));
            }
        }
        return r;
    }

    /** Failed when a result has an error other than "not there" (a repository without it is no failure). */
    static void metadataEnded(Resolution r, List<MetadataResult> results, Throwable thrown) {
        boolean failed = thrown != null;
        if (results != null) {
            for (MetadataResult result : results) {
                Exception e = result.getException();
                failed |= e != null && !(e instanceof MetadataNotFoundException);
            }
        }
        if (r != null && r.span != null) {
            r.span.setAttribute("maven.metadata.remote_checks", r.metadataRemoteChecks());
            r.span.setAttribute("maven.metadata.up_to_date", r.metadataUpToDate());
        }
        end(r, failed, thrown);
    }

    static void event(RepositoryEvent event) {
        Resolution r = CURRENT.get();
        switch (event.getType()) {
            case ARTIFACT_DOWNLOADED -> {
                Exception e = event.getException();
                ArtifactResult result = e == null ? ArtifactResult.DOWNLOADED
                        : e instanceof ArtifactNotFoundException ? ArtifactResult.NOT_FOUND : ArtifactResult.FAILED;
                DependencyStatistics.artifact(result, repositoryId(event.getRepository()));
                if (r != null) {
                    r.downloadEvent(String.valueOf(event.getArtifact()));
                    count(r, result);
                    if (hasCause(e, ChecksumFailureException.class)) {
                        r.checksumFailures++;
                    }
                }
            }
            case ARTIFACT_RESOLVED -> {
                if (r != null && r.hadDownloadEvent(String.valueOf(event.getArtifact()))) {
                    return;
                }
                List<Exception> errors = event.getExceptions();
                if (event.getFile() != null || errors == null || errors.isEmpty()) {
                    String where = event.getRepository() instanceof WorkspaceRepository ? REACTOR : LOCAL;
                    DependencyStatistics.artifact(ArtifactResult.LOCAL, where);
                    if (r != null) {
                        count(r, ArtifactResult.LOCAL);
                    }
                    return;
                }
                for (Exception e : errors) {
                    ArtifactResult result = e instanceof ArtifactNotFoundException ? ArtifactResult.NOT_FOUND
                            : ArtifactResult.FAILED;
                    RemoteRepository repository = e instanceof ArtifactTransferException t ? t.getRepository() : null;
                    DependencyStatistics.artifact(result, repository != null ? repository.getId() : LOCAL);
                    if (r != null) {
                        count(r, result);
                        r.cachedMisses++;
                    }
                }
            }
            case METADATA_RESOLVING -> {
                if (r != null && event.getRepository() instanceof RemoteRepository remote) {
                    r.metadataLookup(remote.getId() + " " + event.getMetadata());
                }
            }
            case METADATA_DOWNLOADING -> {
                if (r != null && event.getRepository() instanceof RemoteRepository remote) {
                    r.metadataCheck(remote.getId() + " " + event.getMetadata());
                }
            }
            default -> {
            }
        }
    }

    private static Resolution start(Scope scope, String name) {
        Resolution outer = CURRENT.get();
        Resolution r = new Resolution(scope, Recorder.startSpan(name), outer);
        CURRENT.set(r);
        return r;
    }

    private static void end(Resolution r, boolean failed, Throwable thrown) {
        if (r == null) {
            return;
        }
        long nanos = System.nanoTime() - r.startNanos;
        if (CURRENT.get() == r) {
            CURRENT.set(r.outer);
        }
        if (r.span != null && failed) {
            r.span.failed = true;
        }
        Recorder.endSpan(r.span, thrown);
        DependencyStatistics.resolution(r.scope, failed, nanos);
        if (r.outer == null) {
            DependencyStatistics.outermostResolution(nanos);
        }
    }

    private static void count(Resolution r, ArtifactResult result) {
        switch (result) {
            case LOCAL -> r.local++;
            case DOWNLOADED -> r.downloaded++;
            case NOT_FOUND -> r.notFound++;
            case FAILED -> r.failed++;
        }
    }

    static String repositoryId(ArtifactRepository repository) {
        if (repository instanceof RemoteRepository remote) {
            return remote.getId();
        }
        return repository instanceof WorkspaceRepository ? REACTOR : LOCAL;
    }

    private static String describe(Metadata m) {
        StringBuilder b = new StringBuilder();
        if (!m.getGroupId().isEmpty()) {
            b.append(m.getGroupId());
        }
        if (!m.getArtifactId().isEmpty()) {
            b.append(':').append(m.getArtifactId());
        }
        if (!m.getVersion().isEmpty()) {
            b.append(':').append(m.getVersion());
        }
        return b.append('/').append(m.getType()).toString();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
