package dev.obs.it;

import static dev.obs.it.ObsRuns.ARRIVAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.JGitApp;
import dev.obs.it.harness.AgentJvm;
import dev.obs.it.harness.JGitJars;
import dev.obs.it.harness.JvmResult;
import dev.obs.it.harness.OtlpHttpReceiver;
import dev.obs.it.harness.RawRequest;
import dev.obs.it.harness.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real JGit porcelain commands on real repositories, seen on the OTLP wire as {@code git <command>} spans. */
class JGitInstrumentationTest {
    @RegisterExtension
    static final OtlpHttpReceiver receiver = new OtlpHttpReceiver();

    @Test
    void porcelainCommandsBecomeNestedSpansWithMaskedUrls(@TempDir Path tmp) throws Exception {
        checkJGitApp(tmp, null);
    }

    @Test
    void jgit610IsInstrumentedTheSameWay(@TempDir Path tmp) throws Exception {
        checkJGitApp(tmp, JGitJars.jgit610());
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
        assertEquals(List.of("f.txt"), dev.obs.it.harness.Otlp.stringList(conflict.span().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("git.conflicts.paths")).findFirst().orElseThrow().getValue()));
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

    private static void checkJGitApp(Path tmp, Path jgitJar) throws Exception {
        receiver.clear();
        Path plainDir = Files.createDirectories(tmp.resolve("plain"));
        JvmResult plain = JGitJars.withJGit(AgentJvm.withoutAgent(JGitApp.class), jgitJar, plainDir)
                .args(plainDir.toString()).run();
        Path dir = Files.createDirectories(tmp.resolve("traced"));
        JvmResult run = JGitJars.withJGit(AgentJvm.withAgent(JGitApp.class), jgitJar, dir)
                .property("obs.methods.include", "com.acme.JGitApp[main]")
                .property("otel.exporter.otlp.endpoint", receiver.endpoint())
                .args(dir.toString()).run();
        assertEquals(0, plain.exitCode(), plain.describe());
        assertEquals(plain.exitCode(), run.exitCode(), run.describe());
        assertEquals(plain.stdout().replace(plainDir.toString(), "DIR"), run.stdout().replace(dir.toString(), "DIR"),
                "the program's output is unchanged" + run.describe());
        assertTrue(run.stdout().contains("merge CONFLICTING conflicts 1"), run.describe());
        assertTrue(run.stdout().contains("pull successful true MERGED"), run.describe());
        assertTrue(run.stdout().contains("ls-remote failed"), run.describe());
        assertFalse(run.stderr().contains("obs:"), run.describe());
        if (jgitJar != null) {
            assertTrue(run.command().toString().contains(jgitJar.getFileName().toString()), run.describe());
        }

        receiver.awaitSpans(s -> s.name().equals("git ls-remote"), 1, ARRIVAL);
        receiver.awaitSpans(s -> s.name().equals("git log"), 1, ARRIVAL);
        List<ReceivedSpan> spans = receiver.spans(s -> s.name().startsWith("git ")
                && s.attribute("process.executable.name") == null);
        Set<String> names = spans.stream().map(ReceivedSpan::name).collect(Collectors.toCollection(TreeSet::new));
        // A configured method that calls JGit is the parent of the commands it runs.
        ReceivedSpan main = receiver.awaitSpans(s -> s.name().equals("JGitApp.main"), 1, ARRIVAL).get(0);
        for (ReceivedSpan clone : spans.stream().filter(s -> s.name().equals("git clone")).toList()) {
            assertEquals(main.traceId(), clone.traceId(), clone.toString());
        }
        assertTrue(names.containsAll(Set.of("git clone", "git add", "git commit", "git push", "git branch create",
                "git checkout", "git merge", "git reset", "git pull", "git fetch", "git status", "git log",
                "git ls-remote")), names + "\n" + receiver.describe());

        String originUrl = line(run, "origin ");
        String workTree = dir.resolve("a").toString();

        // clone: the URI, and the work tree it created
        ReceivedSpan cloneA = only(spans, s -> s.name().equals("git clone") && workTree.equals(s.attribute("git.work_tree")));
        assertEquals(originUrl, cloneA.attribute("vcs.repository.url.full"), cloneA.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, cloneA.span().getStatus().getCode(), cloneA.toString());
        assertEquals(main.spanId(), cloneA.parentSpanId(), cloneA.toString());
        ReceivedSpan cloneFetch = only(spans, s -> s.name().equals("git fetch") && s.parentSpanId().equals(cloneA.spanId()));
        assertEquals(cloneA.traceId(), cloneFetch.traceId());

        // commit: the id the app printed
        String firstCommit = line(run, "commit ");
        ReceivedSpan commit = only(spans, s -> s.name().equals("git commit")
                && firstCommit.equals(s.attribute("vcs.ref.head.revision")));
        assertEquals(workTree, commit.attribute("git.work_tree"), commit.toString());

        // push: the configured remote's URL
        ReceivedSpan push = spans.stream().filter(s -> s.name().equals("git push")).findFirst().orElseThrow();
        assertEquals(originUrl, push.attribute("vcs.repository.url.full"), push.toString());

        // the conflicting merge: outcome, count, error status
        ReceivedSpan conflict = only(spans, s -> s.name().equals("git merge")
                && "CONFLICTING".equals(s.attribute("git.outcome")));
        assertTrue(Long.parseLong(conflict.attribute("git.conflicts.count")) >= 1, conflict.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, conflict.span().getStatus().getCode(), conflict.toString());
        assertEquals(null, conflict.attribute("git.conflicts.paths"), "paths only with obs.git.capture.paths");
        assertEquals(workTree, conflict.attribute("git.work_tree"), conflict.toString());

        // pull: fetch and merge are its children
        ReceivedSpan pull = only(spans, s -> s.name().equals("git pull"));
        assertEquals("MERGED", pull.attribute("git.outcome"), pull.toString());
        assertEquals("0", pull.attribute("git.conflicts.count"), pull.toString());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, pull.span().getStatus().getCode(), pull.toString());
        ReceivedSpan fetch = only(spans, s -> s.name().equals("git fetch") && s.parentSpanId().equals(pull.spanId()));
        ReceivedSpan pullMerge = only(spans, s -> s.name().equals("git merge") && s.parentSpanId().equals(pull.spanId()));
        assertEquals(pull.traceId(), fetch.traceId());
        assertEquals(originUrl, fetch.attribute("vcs.repository.url.full"), fetch.toString());
        assertEquals("MERGED", pullMerge.attribute("git.outcome"), pullMerge.toString());
        assertTrue(pull.span().getStartTimeUnixNano() <= fetch.span().getStartTimeUnixNano()
                && fetch.span().getEndTimeUnixNano() <= pull.span().getEndTimeUnixNano(), fetch + " within " + pull);

        // top-level commands are roots (nothing else is current on the app's thread)
        assertEquals(main.spanId(), only(spans, s -> s.name().equals("git status")).parentSpanId());
        assertEquals(main.spanId(), only(spans, s -> s.name().equals("git log")).parentSpanId());

        // ls-remote with credentials: error, URL masked, the password never leaves the process
        ReceivedSpan lsRemote = only(spans, s -> s.name().equals("git ls-remote"));
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, lsRemote.span().getStatus().getCode(), lsRemote.toString());
        assertEquals("https://****@127.0.0.1:1/x.git", lsRemote.attribute("vcs.repository.url.full"),
                lsRemote.toString());
        assertTrue(lsRemote.span().getEventsCount() >= 1, "exception event: " + lsRemote);
        for (RawRequest request : receiver.rawRequests()) {
            String body = new String(request.decodedBody(), StandardCharsets.ISO_8859_1);
            assertFalse(body.contains("s3cret"), "the password left the process");
        }
    }

    private static String line(JvmResult run, String prefix) {
        for (String l : run.stdoutLines()) {
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
        }
        throw new AssertionError("no line " + prefix + run.describe());
    }

    private static ReceivedSpan only(List<ReceivedSpan> spans, java.util.function.Predicate<ReceivedSpan> filter) {
        List<ReceivedSpan> found = spans.stream().filter(filter).collect(Collectors.toList());
        assertEquals(1, found.size(), "expected one span, got " + found + " of\n"
                + spans.stream().map(Object::toString).collect(Collectors.joining("\n")));
        assertNotNull(found.get(0));
        return found.get(0);
    }
}
