package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.obs.it.harness.Spans.assertWithin;

import com.acme.JGitApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import dev.obs.it.harness.SharedRuns;
import dev.obs.it.harness.Spans;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real JGit porcelain commands on real repositories, seen on the OTLP wire as {@code git <command>} spans. */
class JGitInstrumentationTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    /** A run of {@link JGitApp} without the agent and one with it, with what the latter exported. */
    record AppRuns(Path jgitJar, Path plainDir, JvmResult plain, Path dir, JvmResult run,
                   OtlpHttpReceiver receiver, ReceivedSpan main, List<ReceivedSpan> spans) implements AutoCloseable {
        String originUrl() {
            return run.valueAfter("origin ");
        }

        String workTree() {
            return dir.resolve("a").toString();
        }

        ReceivedSpan only(Predicate<ReceivedSpan> filter) {
            return Spans.only(spans, filter);
        }

        @Override
        public void close() {
            receiver.close();
        }
    }

    @RegisterExtension
    static final SharedRuns<String, AppRuns> runs = new SharedRuns<>(JGitInstrumentationTest::appRuns);

    @TempDir
    static Path base;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void theProgramsOutputIsUnchangedAndObsSaysNothing(String jgit) {
        AppRuns r = runs.get(jgit);
        JvmResult plain = r.plain();
        JvmResult run = r.run();
        assertEquals(0, plain.exitCode(), plain.describe());
        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout().replace(r.plainDir().toString(), "DIR"),
                run.stdout().replace(r.dir().toString(), "DIR"), "the program's output is unchanged" + run.describe());
        assertTrue(run.stdout().contains("merge CONFLICTING conflicts 1"), run.describe());
        assertTrue(run.stdout().contains("pull successful true MERGED"), run.describe());
        assertTrue(run.stdout().contains("ls-remote failed"), run.describe());
        assertFalse(run.stderr().contains("obs:"), run.describe());
        if (r.jgitJar() != null) {
            assertTrue(run.command().toString().contains(r.jgitJar().getFileName().toString()), run.describe());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void everyPorcelainCommandTheProgramCallsIsASpan(String jgit) {
        AppRuns r = runs.get(jgit);
        Set<String> names = r.spans().stream().map(ReceivedSpan::name).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(names.containsAll(Set.of("git clone", "git add", "git commit", "git push", "git branch create",
                "git checkout", "git merge", "git reset", "git pull", "git fetch", "git status", "git log",
                "git ls-remote")), names + "\n" + r.receiver().describe());
    }

    /** A configured method that calls JGit is the parent of the commands it runs. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void clonesAreInTheTraceOfTheConfiguredMethodThatCalledThem(String jgit) {
        AppRuns r = runs.get(jgit);
        List<ReceivedSpan> clones = r.spans().stream().filter(s -> s.name().equals("git clone")).toList();
        assertFalse(clones.isEmpty(), r.receiver().describe());
        for (ReceivedSpan clone : clones) {
            assertEquals(r.main().traceId(), clone.traceId(), clone.toString());
        }
    }

    /** clone: the URI, and the work tree it created. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void cloneCarriesTheUrlAndTheWorkTreeItCreatedAndHasItsFetchAsChild(String jgit) {
        AppRuns r = runs.get(jgit);
        ReceivedSpan cloneA = r.only(s -> s.name().equals("git clone") && r.workTree().equals(s.attribute("git.work_tree")));
        assertEquals(r.originUrl(), cloneA.attribute("vcs.repository.url.full"), cloneA.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, cloneA.span().getStatus().getCode(), cloneA.toString());
        assertEquals(r.main().spanId(), cloneA.parentSpanId(), cloneA.toString());
        ReceivedSpan cloneFetch = r.only(s -> s.name().equals("git fetch") && s.parentSpanId().equals(cloneA.spanId()));
        assertEquals(cloneA.traceId(), cloneFetch.traceId());
    }

    /** commit: the id the app printed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void commitCarriesTheNewCommitsIdAndTheWorkTree(String jgit) {
        AppRuns r = runs.get(jgit);
        String firstCommit = r.run().valueAfter("commit ");
        ReceivedSpan commit = r.only(s -> s.name().equals("git commit")
                && firstCommit.equals(s.attribute("vcs.ref.head.revision")));
        assertEquals(r.workTree(), commit.attribute("git.work_tree"), commit.toString());
    }

    /** push: the configured remote's URL. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void pushCarriesTheConfiguredRemotesUrl(String jgit) {
        AppRuns r = runs.get(jgit);
        ReceivedSpan push = r.spans().stream().filter(s -> s.name().equals("git push")).findFirst().orElseThrow();
        assertEquals(r.originUrl(), push.attribute("vcs.repository.url.full"), push.toString());
    }

    /** the conflicting merge: outcome, count, error status. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void aConflictingMergeIsAnErrorWithItsOutcomeAndConflictCountButNoPaths(String jgit) {
        AppRuns r = runs.get(jgit);
        ReceivedSpan conflict = r.only(s -> s.name().equals("git merge")
                && "CONFLICTING".equals(s.attribute("git.outcome")));
        assertTrue(Long.parseLong(conflict.attribute("git.conflicts.count")) >= 1, conflict.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, conflict.span().getStatus().getCode(), conflict.toString());
        assertEquals(null, conflict.attribute("git.conflicts.paths"), "paths only with obs.git.capture.paths");
        assertEquals(r.workTree(), conflict.attribute("git.work_tree"), conflict.toString());
    }

    /** pull: fetch and merge are its children. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void pullHasItsFetchAndMergeAsChildren(String jgit) {
        AppRuns r = runs.get(jgit);
        ReceivedSpan pull = r.only(s -> s.name().equals("git pull"));
        assertEquals("MERGED", pull.attribute("git.outcome"), pull.toString());
        assertEquals("0", pull.attribute("git.conflicts.count"), pull.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, pull.span().getStatus().getCode(), pull.toString());
        ReceivedSpan fetch = r.only(s -> s.name().equals("git fetch") && s.parentSpanId().equals(pull.spanId()));
        ReceivedSpan pullMerge = r.only(s -> s.name().equals("git merge") && s.parentSpanId().equals(pull.spanId()));
        assertEquals(pull.traceId(), fetch.traceId());
        assertEquals(r.originUrl(), fetch.attribute("vcs.repository.url.full"), fetch.toString());
        assertEquals("MERGED", pullMerge.attribute("git.outcome"), pullMerge.toString());
        assertWithin(fetch, pull);
    }

    /** Top-level commands are children of the configured method (nothing else is current on the app's thread). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void topLevelCommandsAreChildrenOfTheConfiguredMethod(String jgit) {
        AppRuns r = runs.get(jgit);
        assertEquals(r.main().spanId(), r.only(s -> s.name().equals("git status")).parentSpanId());
        assertEquals(r.main().spanId(), r.only(s -> s.name().equals("git log")).parentSpanId());
    }

    /** ls-remote with credentials: error, URL masked, the password never leaves the process. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jgit7", "jgit610"})
    void lsRemoteWithCredentialsIsAnErrorWithTheUrlMaskedAndThePasswordNeverLeaves(String jgit) {
        AppRuns r = runs.get(jgit);
        ReceivedSpan lsRemote = r.only(s -> s.name().equals("git ls-remote"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, lsRemote.span().getStatus().getCode(), lsRemote.toString());
        assertEquals("https://****@127.0.0.1:1/x.git", lsRemote.attribute("vcs.repository.url.full"),
                lsRemote.toString());
        assertTrue(lsRemote.span().getEventsCount() >= 1, "exception event: " + lsRemote);
        for (RawRequest request : r.receiver().rawRequests()) {
            String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
            assertFalse(body.contains("s3cret"), "the password left the process");
        }
    }

    @Test
    void conflictingPathsAreRecordedOnlyWhenAskedFor(@TempDir Path tmp) throws Exception {
        receiver.clear();
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), null, tmp.resolve("home"))
                .property("obs.git.capture.paths", "true")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(Files.createDirectories(tmp.resolve("work")).toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        ReceivedSpan conflict = receiver.awaitSpans(s -> s.name().equals("git merge")
                && "CONFLICTING".equals(s.attribute("git.outcome")), 1, ARRIVAL).get(0);
        assertEquals(List.of("f.txt"), conflict.attributeList("git.conflicts.paths"), conflict.toString());
    }

    @Test
    void theFamilyCanBeSwitchedOff(@TempDir Path tmp) throws Exception {
        receiver.clear();
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), null, tmp)
                .property("obs.instrumentation.git.enabled", "false")
                .property("obs.methods.include", "com.acme.JGitApp[main]")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(tmp.toString()).run();
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("merge CONFLICTING conflicts 1"), run.describe());
        receiver.awaitSpans(s -> s.name().equals("JGitApp.main"), 1, ARRIVAL);
        assertEquals(List.of(), receiver.spans(s -> s.name().startsWith("git ")), receiver.describe());
    }

    /**
     * {@link JGitApp} with JGit {@code name} once without the agent and once with it (exporting to a receiver
     * of its own), until the traced run's last commands and its configured method have arrived (when it
     * exited normally: otherwise the first scenario says how it ended).
     */
    private static AppRuns appRuns(String name) throws Exception {
        Path jgitJar = name.equals("jgit610") ? JGitJars.jgit610() : null;
        Path plainDir = Files.createDirectories(base.resolve(name).resolve("plain"));
        JvmResult plain = JGitJars.withJGit(AgentJvm.withoutAgent(JGitApp.class), jgitJar, plainDir)
                .args(plainDir.toString()).run();
        Path dir = Files.createDirectories(base.resolve(name).resolve("traced"));
        OtlpHttpReceiver receiver = new OtlpHttpReceiver();
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), jgitJar, dir)
                .property("obs.methods.include", "com.acme.JGitApp[main]")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(dir.toString()).run();
        ReceivedSpan main = null;
        if (run.exitCode() == 0) {
            receiver.awaitSpans(s -> s.name().equals("git ls-remote"), 1, ARRIVAL);
            receiver.awaitSpans(s -> s.name().equals("git log"), 1, ARRIVAL);
            main = receiver.awaitSpans(s -> s.name().equals("JGitApp.main"), 1, ARRIVAL).get(0);
        }
        List<ReceivedSpan> spans = receiver.spans(s -> s.name().startsWith("git ")
                && s.attribute("process.executable.name") == null);
        return new AppRuns(jgitJar, plainDir, plain, dir, run, receiver, main, spans);
    }
}
