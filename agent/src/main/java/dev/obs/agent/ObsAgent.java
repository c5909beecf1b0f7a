package dev.obs.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent's entry point, loaded by the application class loader. It only defines obs.jar's bootstrap
 * classes in the bootstrap class loader and hands over to the installer inside an isolated class loader.
 * Any failure prints one line and leaves the application running uninstrumented.
 */
public final class ObsAgent {
    private ObsAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst);
    }

    private static void start(String args, Instrumentation inst) {
        String enabled = System.getProperty("obs.enabled", System.getenv("OBS_ENABLED"));
        if (enabled != null && enabled.trim().equalsIgnoreCase("false")) {
            return;
        }
        try {
            File jar = new File(ObsAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            JarFile jarFile = new JarFile(jar, false);
            BootstrapInjector.defineBootstrapClasses(inst, jarFile);
            ClassLoader loader = new AgentClassLoader(jarFile, jar);
            Class<?> installer = loader.loadClass("dev.obs.agent.internal.AgentInstaller");
            installer.getMethod("install", Instrumentation.class, String.class).invoke(null, inst, args);
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null
                    ? t.getCause() : t;
            System.err.println("obs: agent not started, the application runs uninstrumented: " + cause);
        }
    }
}
