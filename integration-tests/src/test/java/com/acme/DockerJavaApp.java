package com.acme;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Drives docker-java (zerodep transport) against a real engine: a container that burns CPU for a second
 * (and then idles two more, so a sample after the burn sees all of it) is created, started, waited for, its logs read, and removed; then an image that does not exist is
 * asked for. Prints what the program sees, so a run with the agent can be compared with one without.
 *
 * <p>Args: engine endpoint ({@code unix:///...}), local image, container name.
 */
public final class DockerJavaApp {
    private DockerJavaApp() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        String image = args[1];
        String name = args[2];
        DockerClient docker = client(host);
        CreateContainerResponse created = docker.createContainerCmd(image)
                .withName(name)
                .withCmd("sh", "-c", "timeout 1 yes > /dev/null; sleep 2; echo burned")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec();
        String id = created.getId();
        System.out.println("created " + id);
        docker.startContainerCmd(id).exec();
        int status = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
        System.out.println("exit " + status);
        StringBuilder logs = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                logs.append(new String(frame.getPayload()).trim());
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        System.out.println("logs " + logs);
        System.out.println("inspect " + docker.inspectContainerCmd(id).exec().getState().getStatus());
        docker.removeContainerCmd(id).exec();
        System.out.println("removed");
        try {
            docker.createContainerCmd("obs-no-such-image:absent").withCmd("true").exec();
            System.out.println("unexpected: created");
        } catch (RuntimeException e) {
            // the exception docker-java threw, unchanged: its class and message are what the program sees
            System.out.println("failed " + e.getClass().getName() + " " + e.getMessage().trim());
        }
        docker.close();
    }

    static DockerClient client(String host) {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host).withDockerTlsVerify(false).build();
        ZerodepDockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(URI.create(host)).build();
        return DockerClientImpl.getInstance(config, http);
    }
}
