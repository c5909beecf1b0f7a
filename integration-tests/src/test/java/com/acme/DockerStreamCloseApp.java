package com.acme;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two docker-java log streams against a real engine. The first follows a running container's logs until a
 * line appears and is then closed by the program, as Testcontainers' log-message wait does (docker-java
 * reports that close through {@code onError}, the stream thread having been interrupted). The second asks for
 * the logs of a container that does not exist: the engine answers 404 and the stream fails for real. Prints
 * what the program sees.
 *
 * <p>Args: engine endpoint, local image, container name.
 */
public final class DockerStreamCloseApp {
    private DockerStreamCloseApp() {
    }

    public static void main(String[] args) throws Exception {
        DockerClient docker = DockerJavaApp.client(args[0]);
        String id = docker.createContainerCmd(args[1]).withName(args[2])
                .withCmd("sh", "-c", "echo ready; sleep 60")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        System.out.println("created " + id);
        docker.startContainerCmd(id).exec();
        try {
            CountDownLatch ready = new CountDownLatch(1);
            ResultCallback.Adapter<Frame> following = docker.logContainerCmd(id).withStdOut(true)
                    .withFollowStream(true).exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            if (new String(frame.getPayload()).contains("ready")) {
                                ready.countDown();
                            }
                        }
                    });
            System.out.println("ready " + ready.await(30, TimeUnit.SECONDS));
            following.close();
            System.out.println("closed the following stream");

            ResultCallback.Adapter<Frame> missing = docker.logContainerCmd("obs-no-such-container")
                    .withStdOut(true).withFollowStream(true).exec(new ResultCallback.Adapter<>());
            try {
                missing.awaitCompletion(30, TimeUnit.SECONDS);
                System.out.println("unexpected: the missing container's stream completed");
            } catch (RuntimeException e) {
                System.out.println("stream failed " + e.getClass().getName());
            }
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
            System.out.println("removed");
            docker.close();
        }
    }
}
