package dev.obs.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child side of {@link DockerOverheadBenchmark}, run with or without the agent.
 *
 * <pre>
 *   inspect ENDPOINT CONTAINER_ID CALLS REPEATS   warm-up of CALLS inspects, then REPEATS timed loops of CALLS;
 *                                                 prints INSPECT_NANOS_PER_OP and INSPECT_CPU_NANOS_PER_OP
 *                                                 (median loop / CALLS, wall and calling thread's CPU)
 *   sample ENDPOINT IMAGE CONTAINERS SECONDS      creates and starts CONTAINERS idle containers (the agent samples
 *                                                 them), waits SECONDS, removes them
 * </pre>
 */
public final class DockerWorkload {
    private DockerWorkload() {
    }

    public static void main(String[] args) throws Exception {
        DockerClient docker = client(args[1]);
        if (args[0].equals("inspect")) {
            String id = args[2];
            int calls = Integer.parseInt(args[3]);
            int repeats = Integer.parseInt(args[4]);
            for (int i = 0; i < calls; i++) {
                docker.inspectContainerCmd(id).exec();
            }
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] loops = new long[repeats];
            long[] cpu = new long[repeats];
            for (int r = 0; r < repeats; r++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    docker.inspectContainerCmd(id).exec();
                }
                loops[r] = System.nanoTime() - start;
                cpu[r] = threads.getCurrentThreadCpuTime() - cpuStart;
            }
            Arrays.sort(loops);
            Arrays.sort(cpu);
            // wall time includes the engine's answer (noisy on a loaded machine); the calling thread's CPU
            // time is what the advice adds to the program's own thread
            System.out.println("INSPECT_NANOS_PER_OP=" + loops[repeats / 2] / calls);
            System.out.println("INSPECT_CPU_NANOS_PER_OP=" + cpu[repeats / 2] / calls);
        } else {
            String image = args[2];
            int n = Integer.parseInt(args[3]);
            long seconds = Long.parseLong(args[4]);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = docker.createContainerCmd(image).withCmd("sleep", "600")
                        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")).exec().getId();
                docker.startContainerCmd(id).exec();
                ids.add(id);
            }
            Thread.sleep(seconds * 1000);
            for (String id : ids) {
                docker.removeContainerCmd(id).withForce(true).exec();
            }
            System.out.println("SAMPLED_CONTAINERS=" + n);
        }
        docker.close();
    }

    static DockerClient client(String host) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withDockerTlsVerify(false).build();
        return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(host)).build());
    }
}
