package dev.obs.agent;

import java.io.File;
import java.util.jar.JarFile;

/**
 * {@code java -jar obs.jar <command>}: the command line. Like the agent it runs obs's code from the jar's
 * {@code inst/} folder through {@link AgentClassLoader}; the agent's premain never loads this class.
 */
public final class ObsMain {
    private ObsMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            File jar = new File(ObsMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            ClassLoader loader = new AgentClassLoader(new JarFile(jar, false), jar);
            Thread.currentThread().setContextClassLoader(loader);
            String version = ObsMain.class.getPackage().getImplementationVersion();
            if (version != null) {
                System.setProperty("dev.obs.version", version);
            }
            Class<?> cli = loader.loadClass("dev.obs.agent.cli.ObsCommand");
            status = (Integer) cli.getMethod("run", String[].class).invoke(null, (Object) args);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            System.err.println("obs: " + cause);
            status = 1;
        }
        System.exit(status);
    }
}
