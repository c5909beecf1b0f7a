package dev.obs.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * The fixed JGit workload of {@code scripts/bench.sh jgit} ({@link JGitOverheadBenchmark} runs it in child
 * JVMs with and without the agent). In a fresh temp dir, with JGit's porcelain API:
 * <ol>
 *   <li>{@code Git.init} a repository {@code origin} (branch {@code main});</li>
 *   <li>500 times: write a small file, {@code add} it, {@code commit} (fixed author, dates one second
 *       apart, so the commit ids are the same in every run);</li>
 *   <li>{@code log}: walk all commits;</li>
 *   <li>{@code status} (must be clean);</li>
 *   <li>{@code Git.cloneRepository} from {@code file://<origin>} to {@code clone} (JGit's in-process
 *       local transport, no {@code git} executable);</li>
 *   <li>one more commit in {@code origin}, then {@code fetch} in {@code clone} (must update
 *       {@code refs/remotes/origin/main}).</li>
 * </ol>
 * Prints {@code PHASE <name> <nanos>} per step, {@code CHECK ...}, {@code WORKLOAD_CPU_NANOS <n>} (CPU time of
 * the whole process, every thread, over the timed part) and {@code WORKLOAD_NANOS <n>}: the wall time from
 * {@code Git.init} to the end of the fetch (temp dir creation and deletion are not timed). Exit 1 when a
 * result is not what the workload expects. With a second argument N the workload runs N times in the same
 * JVM, each time in a fresh temp dir; the runs after the first print only {@code REPEAT_CPU_NANOS <n>}
 * and {@code REPEAT_NANOS <n>} (their process CPU time and wall time), after {@code REPEAT_THREAD_CPU <group> <n>}
 * lines: that CPU time by thread group ({@link #threadGroupCpu}).
 *
 * <p>Hermetic: JGit sees empty user and system git configs (no {@code ~/.gitconfig}, no {@code git config
 * --system} lookup, which would fork {@code git}) and no {@code GIT_*} environment variables. JGit's own
 * cache ({@code $XDG_CONFIG_HOME/jgit/config}, file system timestamp resolution) is left as it is: the
 * benchmark points {@code XDG_CONFIG_HOME} at its own temp dir.
 *
 * <pre>
 *   java -cp integration-tests/target/benchmarks.jar dev.obs.bench.JGitWorkload [commits (default 500)] [runs (default 1)]
 * </pre>
 */
public final class JGitWorkload {
    static final int DEFAULT_COMMITS = 500;
    private static final Instant EPOCH = Instant.parse("2026-01-02T03:04:05Z");

    private JGitWorkload() {
    }

    public static void main(String[] args) throws Exception {
        int commits = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_COMMITS;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        hermetic();
        int status = 0;
        for (int r = 0; r < repeats && status == 0; r++) {
            Path root = Files.createTempDirectory("obs-jgit-bench");
            try {
                status = run(root, commits, r == 0);
            } finally {
                delete(root);
            }
        }
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs the workload once in {@code root}. The first run of the JVM prints the phases, the check and the
     * {@code WORKLOAD_*} figures; a repeat prints only {@code REPEAT_CPU_NANOS <n>} and {@code REPEAT_NANOS <n>}.
     */
    static int run(Path root, int commits, boolean first) throws Exception {
        File originDir = root.resolve("origin").toFile();
        File cloneDir = root.resolve("clone").toFile();
        boolean ok = true;
        Map<String, Long> threads0 = first ? null : threadGroupCpu();
        long cpu0 = SpanLoad.processCpuNanos();
        long t0 = System.nanoTime();
        try (Git origin = Git.init().setDirectory(originDir).setInitialBranch("main").call()) {
            for (int i = 0; i < commits; i++) {
                commit(origin, i);
            }
            long t1 = System.nanoTime();
            phase(first, "init+add+commit", t1 - t0);

            int walked = 0;
            for (RevCommit ignored : origin.log().call()) {
                walked++;
            }
            long t2 = System.nanoTime();
            phase(first, "log", t2 - t1);

            Status status = origin.status().call();
            long t3 = System.nanoTime();
            phase(first, "status", t3 - t2);

            String head;
            String fetchedTo;
            int updates;
            try (Git clone = Git.cloneRepository().setURI("file://" + originDir.getAbsolutePath())
                    .setDirectory(cloneDir).call()) {
                long t4 = System.nanoTime();
                phase(first, "clone", t4 - t3);

                RevCommit last = commit(origin, commits);
                head = last.getId().name();
                FetchResult fetched = clone.fetch().call();
                updates = fetched.getTrackingRefUpdates().size();
                fetchedTo = clone.getRepository().exactRef("refs/remotes/origin/main") == null ? "none"
                        : clone.getRepository().exactRef("refs/remotes/origin/main").getObjectId().name();
                long t5 = System.nanoTime();
                phase(first, "commit+fetch", t5 - t4);
            }
            long nanos = System.nanoTime() - t0;
            long cpu = SpanLoad.processCpuNanos() - cpu0;
            if (first) {
                System.out.println("CHECK commits=" + walked + " clean=" + status.isClean() + " fetchUpdates="
                        + updates + " head=" + head);
            }
            ok &= check(walked == commits, "log walked " + walked + " commits, expected " + commits);
            ok &= check(status.isClean(), "status not clean: " + status.getUncommittedChanges() + " "
                    + status.getUntracked());
            ok &= check(updates == 1, "fetch updated " + updates + " tracking refs, expected 1");
            ok &= check(head.equals(fetchedTo), "fetched refs/remotes/origin/main " + fetchedTo + " != " + head);
            if (first) {
                System.out.println("WORKLOAD_CPU_NANOS " + cpu);
                System.out.println("WORKLOAD_NANOS " + nanos);
            } else {
                Map<String, Long> threads = threadGroupCpu();
                long live = 0;
                for (Map.Entry<String, Long> e : threads.entrySet()) {
                    long d = e.getValue() - threads0.getOrDefault(e.getKey(), 0L);
                    live += d;
                    System.out.println("REPEAT_THREAD_CPU " + e.getKey() + " " + d);
                }
                System.out.println("REPEAT_THREAD_CPU ended " + (cpu - live));
                System.out.println("REPEAT_CPU_NANOS " + cpu);
                System.out.println("REPEAT_NANOS " + nanos);
            }
        }
        return ok ? 0 : 1;
    }

    /** The thread groups of {@link #threadGroupCpu}, in the order they are printed. */
    static final List<String> THREAD_GROUPS = List.of("main", "jit", "gc", "obs", "other");

    /**
     * CPU nanoseconds so far of the live threads ({@code /proc/self/task/<tid>/schedstat}), by group: {@code main}
     * (the thread running {@code main}), {@code jit} (the compiler threads), {@code gc} (GC and VM threads),
     * {@code obs} (the agent's threads, named {@code obs-*}), {@code other}. A thread that ended between two readings (JGit's upload-pack threads of the
     * clone and the fetch) is in neither; a run prints its share as {@code ended}: the process CPU time (10 ms
     * ticks) less the live threads'. Empty without {@code /proc}.
     */
    static Map<String, Long> threadGroupCpu() {
        Map<String, Long> byGroup = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (String g : THREAD_GROUPS) {
                byGroup.put(g, 0L);
            }
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                    String schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.UTF_8);
                    long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    byGroup.merge(threadGroup(name), nanos, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            byGroup.clear();
        }
        return byGroup;
    }

    private static String threadGroup(String name) {
        if (name.equals("main") || name.equals("java")) { // the launcher's thread keeps the name "java"
            return "main";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") || name.startsWith("Sweeper")) {
            return "jit";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("VM ")) {
            return "gc";
        }
        return name.startsWith("obs-") ? "obs" : "other";
    }

    static RevCommit commit(Git git, int i) throws Exception {
        String name = String.format("f%04d.txt", i);
        Files.writeString(git.getRepository().getWorkTree().toPath().resolve(name), "line " + i + "\n",
                StandardCharsets.UTF_8);
        git.add().addFilepattern(name).call();
        PersonIdent who = new PersonIdent("obs", "obs@example.com", EPOCH.plusSeconds(i), ZoneOffset.UTC);
        return git.commit().setMessage("commit " + i).setAuthor(who).setCommitter(who).call();
    }

    private static void phase(boolean print, String name, long nanos) {
        if (print) {
            System.out.println("PHASE " + name + " " + nanos);
        }
    }

    private static boolean check(boolean ok, String problem) {
        if (!ok) {
            System.err.println("JGitWorkload: " + problem);
        }
        return ok;
    }

    /** Empty user and system configs, no GIT_* environment (GIT_DIR from a hook would redirect init). */
    static void hermetic() {
        SystemReader.setInstance(new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public String getenv(String variable) {
                return variable.startsWith("GIT_") ? null : super.getenv(variable);
            }

            @Override
            public FileBasedConfig openUserConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }

            @Override
            public FileBasedConfig openSystemConfig(Config parent, FS fs) {
                return empty(parent, fs);
            }
        });
    }

    private static FileBasedConfig empty(Config parent, FS fs) {
        return new FileBasedConfig(parent, null, fs) {
            @Override
            public void load() {
            }

            @Override
            public void save() {
            }

            @Override
            public boolean isOutdated() {
                return false;
            }
        };
    }

    /**
     * A JGit workload child running {@code cmd} in {@code work}: no {@code GIT_*} variables, and
     * {@code XDG_CONFIG_HOME} (JGit's own cache of the file system's timestamp resolution, and anything the
     * agent might write) in {@code work}, out of the user's home.
     */
    static ProcessBuilder childProcess(java.util.List<String> cmd, Path work) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("XDG_CONFIG_HOME", work.resolve("xdg").toString());
        return pb;
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
