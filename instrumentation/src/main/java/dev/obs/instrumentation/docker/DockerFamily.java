package dev.obs.instrumentation.docker;

import dev.obs.instrumentation.InstrumentationFamily;
import dev.obs.instrumentation.TypeInstrumentation;
import java.util.List;

/**
 * docker-java ({@code com.github.docker-java} 3.x, any transport): a CLIENT span per Docker API operation,
 * named {@code docker <object> <verb>} ({@code docker container create}, {@code docker image pull}),
 * streams ended when their stream ends; containers it creates or starts are handed to the stats sampler.
 * The {@code docker} command line is the process family's.
 */
public final class DockerFamily implements InstrumentationFamily {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(DockerJavaInstrumentation.sync(), DockerJavaInstrumentation.async(),
                DockerJavaInstrumentation.streamCallback(), DockerJavaInstrumentation.invocationBuilder());
    }
}
