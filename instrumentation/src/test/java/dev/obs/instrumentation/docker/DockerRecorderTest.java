package dev.obs.instrumentation.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DockerRecorderTest {
    @Test
    void spanNamesFollowDockersObjectVerbStyle() {
        assertEquals("docker container create", DockerRecorder.spanName("CreateContainerCmdExec"));
        assertEquals("docker container logs", DockerRecorder.spanName("LogContainerCmdExec"));
        assertEquals("docker container list", DockerRecorder.spanName("ListContainersCmdExec"));
        assertEquals("docker exec create", DockerRecorder.spanName("ExecCreateCmdExec"));
        assertEquals("docker exec inspect", DockerRecorder.spanName("InspectExecCmdExec"));
        assertEquals("docker image pull", DockerRecorder.spanName("PullImageCmdExec"));
        assertEquals("docker container stats", DockerRecorder.spanName("StatsCmdExec"));
        assertEquals("docker ping", DockerRecorder.spanName("PingCmdExec"));
        assertEquals("docker container copy-archive-to", DockerRecorder.spanName("CopyArchiveToContainerCmdExec"));
    }

}
