package dev.obs.instrumentation.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obs.exporter.ExactCounter;
import dev.obs.exporter.ExactMetrics;
import java.io.File;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositoryEvent;
import org.eclipse.aether.RepositoryEvent.EventType;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.ArtifactRepository;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.junit.jupiter.api.Test;

/**
 * How the resolver's repository events during one artifact resolution become {@code dependency.artifacts},
 * with the resolver's own event and exception types. The recorder runs here without a span (obs not
 * installed), which is also how it counts for an unsampled build. Each test uses repository ids of its own,
 * so the JVM-wide series of other tests do not mix in.
 */
class ResolutionRecorderTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final DefaultRepositorySystemSession session = new DefaultRepositorySystemSession();
    private final Artifact jar = new DefaultArtifact("com.acme:alpha:jar:1.0");

    @Test
    void artifactMissingInOneRepositoryAndDownloadedFromTheNextCountsOnceEach() {
        RemoteRepository first = repository();
        RemoteRepository second = repository();
        Resolution r = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(first, second), "")));
        ResolutionRecorder.event(downloaded(first, new ArtifactNotFoundException(jar, first)));
        ResolutionRecorder.event(downloaded(second, null));
        ResolutionRecorder.event(resolved(second, new File("alpha-1.0.jar"), List.of()));
        ResolutionRecorder.artifactsEnded(r, null);

        assertEquals(1, count("not_found", first.getId()));
        assertEquals(0, count("downloaded", first.getId()));
        assertEquals(1, count("downloaded", second.getId()));
        assertEquals(0, count("local", second.getId()));
        assertEquals(1, r.notFound);
        assertEquals(1, r.downloaded);
        assertEquals(0, r.local);
    }

    @Test
    void artifactResolvedWithoutADownloadIsLocal() {
        long before = count("local", ResolutionRecorder.LOCAL);
        Resolution r = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(), "")));
        ResolutionRecorder.event(resolved(new LocalRepository("/tmp/repo"), new File("alpha-1.0.jar"), List.of()));
        ResolutionRecorder.artifactsEnded(r, null);

        assertEquals(before + 1, count("local", ResolutionRecorder.LOCAL));
        assertEquals(1, r.local);
    }

    @Test
    void moduleOfTheBuildIsLocalFromTheReactor() {
        long before = count("local", ResolutionRecorder.REACTOR);
        Resolution r = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(), "")));
        ResolutionRecorder.event(resolved(new WorkspaceRepository(), new File("target/classes"), List.of()));
        ResolutionRecorder.artifactsEnded(r, null);

        assertEquals(before + 1, count("local", ResolutionRecorder.REACTOR));
    }

    @Test
    void rememberedMissIsNotFoundInTheRepositoryItNames() {
        RemoteRepository remote = repository();
        Resolution r = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(remote), "")));
        // no download event: the resolver did not ask again (.lastUpdated, update policy)
        ResolutionRecorder.event(resolved(remote, null, List.of(new ArtifactNotFoundException(jar, remote))));
        ResolutionRecorder.artifactsEnded(r, null);

        assertEquals(1, count("not_found", remote.getId()));
        assertEquals(1, r.cachedMisses);
    }

    @Test
    void transferErrorIsFailedNotNotFound() {
        RemoteRepository remote = repository();
        Resolution r = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(remote), "")));
        ResolutionRecorder.event(downloaded(remote, new ArtifactTransferException(jar, remote, "status 500")));
        ResolutionRecorder.event(resolved(remote, null, List.of(new ArtifactTransferException(jar, remote, "status 500"))));
        ResolutionRecorder.artifactsEnded(r, null);

        assertEquals(1, count("failed", remote.getId()));
        assertEquals(0, count("not_found", remote.getId()));
        assertEquals(1, r.failed);
        assertEquals(0, r.cachedMisses);
    }

    @Test
    void nestedResolutionLeavesTheOuterOneCurrent() {
        RemoteRepository remote = repository();
        Resolution outer = ResolutionRecorder.collectStarted(new org.eclipse.aether.collection.CollectRequest());
        Resolution inner = ResolutionRecorder.artifactsStarted(List.of(new ArtifactRequest(jar, List.of(remote), "")));
        ResolutionRecorder.artifactsEnded(inner, null);
        ResolutionRecorder.event(downloaded(remote, null));
        ResolutionRecorder.collectEnded(outer, null, null);

        assertEquals(outer, inner.outer);
        assertEquals(1, outer.downloaded);
        assertEquals(0, inner.downloaded);
    }

    @Test
    void metadataLookedUpTwiceInARepositoryWithoutADownloadIsOneUpToDate() {
        RemoteRepository checked = repository();
        RemoteRepository cached = repository();
        org.eclipse.aether.metadata.Metadata metadata = new org.eclipse.aether.metadata.DefaultMetadata("com.acme",
                "gamma", "maven-metadata.xml", org.eclipse.aether.metadata.Metadata.Nature.RELEASE);
        Resolution r = ResolutionRecorder.metadataStarted(List.of());
        for (RemoteRepository remote : List.of(checked, cached, checked, cached)) {
            ResolutionRecorder.event(new RepositoryEvent.Builder(session, EventType.METADATA_RESOLVING)
                    .setMetadata(metadata).setRepository(remote).build());
        }
        ResolutionRecorder.event(new RepositoryEvent.Builder(session, EventType.METADATA_DOWNLOADING)
                .setMetadata(metadata).setRepository(checked).build());
        ResolutionRecorder.metadataEnded(r, List.of(), null);

        assertEquals(1, r.metadataRemoteChecks());
        assertEquals(1, r.metadataUpToDate());
    }

    private RepositoryEvent downloaded(ArtifactRepository repository, Exception error) {
        return new RepositoryEvent.Builder(session, EventType.ARTIFACT_DOWNLOADED).setArtifact(jar)
                .setRepository(repository).setException(error).build();
    }

    private RepositoryEvent resolved(ArtifactRepository repository, File file, List<Exception> errors) {
        return new RepositoryEvent.Builder(session, EventType.ARTIFACT_RESOLVED).setArtifact(jar)
                .setRepository(repository).setFile(file).setExceptions(errors).build();
    }

    private static RemoteRepository repository() {
        return new RemoteRepository.Builder("repo-" + IDS.incrementAndGet() + "-" + System.nanoTime(), "default",
                "http://127.0.0.1/repo").build();
    }

    private static long count(String result, String repository) {
        long sum = 0;
        for (ExactCounter c : ExactMetrics.counters()) {
            if (c.metric.equals("dependency.artifacts") && c.attributeValues[0].equals(result)
                    && c.attributeValues[1].equals(repository)) {
                sum += c.value();
            }
        }
        return sum;
    }
}
