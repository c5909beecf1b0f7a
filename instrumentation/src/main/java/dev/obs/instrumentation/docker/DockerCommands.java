package dev.obs.instrumentation.docker;

import com.github.dockerjava.api.command.AttachContainerCmd;
import com.github.dockerjava.api.command.CommitCmd;
import com.github.dockerjava.api.command.ConnectToNetworkCmd;
import com.github.dockerjava.api.command.ContainerDiffCmd;
import com.github.dockerjava.api.command.CopyArchiveFromContainerCmd;
import com.github.dockerjava.api.command.CopyArchiveToContainerCmd;
import com.github.dockerjava.api.command.CopyFileFromContainerCmd;
import com.github.dockerjava.api.command.CreateImageCmd;
import com.github.dockerjava.api.command.DisconnectFromNetworkCmd;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.command.ExecStartCmd;
import com.github.dockerjava.api.command.ExportContainerCmd;
import com.github.dockerjava.api.command.ImageHistoryCmd;
import com.github.dockerjava.api.command.InspectContainerCmd;
import com.github.dockerjava.api.command.InspectExecCmd;
import com.github.dockerjava.api.command.InspectImageCmd;
import com.github.dockerjava.api.command.KillContainerCmd;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.command.PauseContainerCmd;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.RemoveContainerCmd;
import com.github.dockerjava.api.command.RemoveImageCmd;
import com.github.dockerjava.api.command.RenameContainerCmd;
import com.github.dockerjava.api.command.ResizeContainerCmd;
import com.github.dockerjava.api.command.ResizeExecCmd;
import com.github.dockerjava.api.command.RestartContainerCmd;
import com.github.dockerjava.api.command.StartContainerCmd;
import com.github.dockerjava.api.command.StatsCmd;
import com.github.dockerjava.api.command.StopContainerCmd;
import com.github.dockerjava.api.command.TagImageCmd;
import com.github.dockerjava.api.command.TopContainerCmd;
import com.github.dockerjava.api.command.UnpauseContainerCmd;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerCmd;

/**
 * The identifiers docker-java's API commands carry, read through their own interfaces. docker-java has no
 * common interface for "a command about one container", so each command type is listed; the most frequent
 * come first. All are in docker-java 3.7's API; in a version lacking one, reaching its check throws
 * {@code NoClassDefFoundError}, which {@link DockerRecorder} catches: the attribute is lost, never the call.
 */
final class DockerCommands {
    private DockerCommands() {
    }

    /** The container a command is about, or null. */
    static String containerId(Object command) {
        if (command instanceof InspectContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof StartContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof StopContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof RemoveContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof WaitContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof LogContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof ExecCreateCmd c) {
            return c.getContainerId();
        }
        if (command instanceof KillContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof StatsCmd c) {
            return c.getContainerId();
        }
        if (command instanceof AttachContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof CommitCmd c) {
            return c.getContainerId();
        }
        if (command instanceof ConnectToNetworkCmd c) {
            return c.getContainerId();
        }
        if (command instanceof ContainerDiffCmd c) {
            return c.getContainerId();
        }
        if (command instanceof CopyArchiveFromContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof CopyArchiveToContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof CopyFileFromContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof DisconnectFromNetworkCmd c) {
            return c.getContainerId();
        }
        if (command instanceof ExportContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof PauseContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof RenameContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof ResizeContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof RestartContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof TopContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof UnpauseContainerCmd c) {
            return c.getContainerId();
        }
        if (command instanceof UpdateContainerCmd c) {
            return c.getContainerId();
        }
        return null;
    }

    /** The image an image command is about: its id, else {@code repository[:tag]}; null when none. */
    static String image(Object command) {
        if (command instanceof InspectImageCmd c) {
            return c.getImageId();
        }
        if (command instanceof RemoveImageCmd c) {
            return c.getImageId();
        }
        if (command instanceof TagImageCmd c) {
            return c.getImageId();
        }
        if (command instanceof ImageHistoryCmd c) {
            return c.getImageId();
        }
        if (command instanceof PullImageCmd c) {
            return withTag(c.getRepository(), c.getTag());
        }
        if (command instanceof CreateImageCmd c) {
            return withTag(c.getRepository(), c.getTag());
        }
        return null;
    }

    private static String withTag(String repository, String tag) {
        return repository == null || tag == null || tag.isEmpty() ? repository : repository + ":" + tag;
    }

    /** The exec instance an exec command is about, or null. */
    static String execId(Object command) {
        if (command instanceof ExecStartCmd c) {
            return c.getExecId();
        }
        if (command instanceof InspectExecCmd c) {
            return c.getExecId();
        }
        if (command instanceof ResizeExecCmd c) {
            return c.getExecId();
        }
        return null;
    }
}
