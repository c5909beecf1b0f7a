package dev.obs.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What obs costs a docker-java application, against a real dockerd (scripts/test-dockerd.sh start):
 *
 * <ol>
 *   <li>Per operation: {@link DockerWorkload} {@code inspect} (200 warm-up inspects of an idle container, then
 *   the median of 5 timed loops of 200) in child JVMs without and with the agent, alternately, for
 *   {@code --rounds} rounds (the calling thread's CPU time per call is reported too); the median of the per-round ratios is judged against {@code --target}.</li>
 *   <li>Stats sampling: a child with the agent starts {@code --containers} idle containers and keeps them
 *   {@code --seconds}, sampled every {@code --interval}; the agent's exit summary gives the sampler thread's
 *   CPU time per sample (one container, one interval).</li>
 * </ol>
 *
 * <pre>
 *   java -Dobs.jar=agent/target/obs.jar -cp integration-tests/target/benchmarks.jar \
 *        dev.obs.bench.DockerOverheadBenchmark [--rounds 7] [--calls 200] [--target 1.10] \
 *        [--containers 3] [--seconds 20] [--interval 1s]
 * </pre>
 *
 * The engine is {@code DOCKER_HOST} (a unix socket) or unix:///tmp/obs-dockerd/docker.sock. Exit status 0
 * PASS, 1 FAIL, 2 something could not run.
 */
public final class DockerOverheadBenchmark {
    private static final Pattern NANOS = Pattern.compile("INSPECT_NANOS_PER_OP=(\\d+)");
    private static final Pattern CPU = Pattern.compile("INSPECT_CPU_NANOS_PER_OP=(\\d+)");
    private static final Pattern SAMPLES = Pattern.compile(
            "container stats: (\\d+) samples, ([0-9.]+) us CPU per sample, (\\d+) failed");

    private DockerOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o = BenchOptions.parse(args, "--rounds", "--calls", "--target", "--containers", "--seconds",
                "--interval");
        if (o == null) {
            System.exit(2);
            return;
        }
        int rounds = o.integer("--rounds", 7);
        int calls = o.integer("--calls", 200);
        double target = o.decimal("--target", 1.10);
        int containers = o.integer("--containers", 3);
        int seconds = o.integer("--seconds", 20);
        String interval = o.text("--interval", "1s");
        String env = System.getenv("DOCKER_HOST");
        String endpoint = env != null && env.startsWith("unix://") ? env : "unix:///tmp/obs-dockerd/docker.sock";
        String jar = System.getProperty("obs.jar");
        String image = "obs-busybox:local";
        DockerClient docker = DockerWorkload.client(endpoint);
        String id;
        try {
            id = docker.createContainerCmd(image).withCmd("sleep", "600")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();
            docker.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            System.err.println("docker-bench: no engine or image at " + endpoint + " (scripts/test-dockerd.sh start): " + e);
            System.exit(2);
            return;
        }
        try {
            double[] ratios = new double[rounds];
            long[] plain = new long[rounds];
            long[] agent = new long[rounds];
            long[] plainCpu = new long[rounds];
            long[] agentCpu = new long[rounds];
            double[] cpuRatios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean agentFirst = r % 2 == 1;
                for (int k = 0; k < 2; k++) {
                    boolean withAgent = (k == 0) == agentFirst;
                    String out = child(jar, withAgent, List.of(), "inspect", endpoint, id, String.valueOf(calls), "5");
                    Matcher m = NANOS.matcher(out);
                    if (!m.find()) {
                        System.err.println("docker-bench: child failed:\n" + out);
                        System.exit(2);
                    }
                    long v = Long.parseLong(m.group(1));
                    Matcher c = CPU.matcher(out);
                    long cpu = c.find() ? Long.parseLong(c.group(1)) : 0;
                    if (withAgent) {
                        agent[r] = v;
                        agentCpu[r] = cpu;
                    } else {
                        plain[r] = v;
                        plainCpu[r] = cpu;
                    }
                }
                ratios[r] = (double) agent[r] / plain[r];
                cpuRatios[r] = (double) agentCpu[r] / Math.max(1, plainCpu[r]);
                System.out.printf(Locale.ROOT, "round %d: no agent %.1f us/op (%.1f us CPU), agent %.1f us/op"
                        + " (%.1f us CPU), wall ratio %.3f, CPU ratio %.3f%n", r + 1, plain[r] / 1e3, plainCpu[r] / 1e3,
                        agent[r] / 1e3, agentCpu[r] / 1e3, ratios[r], cpuRatios[r]);
            }
            double[] cpuSorted = cpuRatios.clone();
            Arrays.sort(cpuSorted);
            long[] pc = plainCpu.clone();
            long[] ac = agentCpu.clone();
            Arrays.sort(pc);
            Arrays.sort(ac);
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2];
            long[] ps = plain.clone();
            long[] as = agent.clone();
            Arrays.sort(ps);
            Arrays.sort(as);

            String out = child(jar, true, List.of("-Dobs.container.stats.interval=" + interval), "sample", endpoint,
                    image, String.valueOf(containers), String.valueOf(seconds));
            Matcher m = SAMPLES.matcher(out);
            System.out.println();
            System.out.println("== docker: per-operation overhead (" + calls + " inspect calls, " + rounds
                    + " rounds, same run)");
            System.out.printf(Locale.ROOT, "  inspect without agent  %8.1f us/op (median)%n", ps[rounds / 2] / 1e3);
            System.out.printf(Locale.ROOT, "  inspect with agent     %8.1f us/op (median)%n", as[rounds / 2] / 1e3);
            System.out.printf(Locale.ROOT, "  wall ratio (median of rounds) %.3f  target <= %.2f  %s%n", median, target,
                    median <= target ? "PASS" : "FAIL");
            System.out.printf(Locale.ROOT, "  calling thread's CPU per op: %.1f us without, %.1f us with the agent;"
                    + " ratio (median of rounds) %.3f (informational)%n", pc[rounds / 2] / 1e3, ac[rounds / 2] / 1e3,
                    cpuSorted[rounds / 2]);
            System.out.println("== docker: stats sampling (" + containers + " containers, " + seconds + " s, every "
                    + interval + ")");
            if (m.find()) {
                double usPerSample = Double.parseDouble(m.group(2));
                System.out.printf(Locale.ROOT, "  %s samples, %.1f us sampler CPU per container per interval, %s failed%n",
                        m.group(1), usPerSample, m.group(3));
                System.out.printf(Locale.ROOT, "  at the default 10 s interval: %.4f %% of one core per container%n",
                        usPerSample / 1e6 / 10 * 100);
            } else {
                System.out.println("  no sampling summary in the child's output:\n" + out);
                return;
            }
            System.exit(median <= target ? 0 : 1);
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
    }

    private static String child(String jar, boolean agent, List<String> agentArgs, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Bench.javaLauncher());
        if (agent) {
            cmd.add("-javaagent:" + jar);
            cmd.add("-Dobs.exporter=none");
            cmd.addAll(agentArgs);
            cmd.addAll(Bench.obsArgs());
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DockerWorkload.class.getName());
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
