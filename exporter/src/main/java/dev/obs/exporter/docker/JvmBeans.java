package dev.obs.exporter.docker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * The JVM's memory and thread beans, made when first asked for (the first metric export). {@code
 * ManagementFactory}'s getters go through the platform bean finder, whose first call loads every platform
 * bean's provider (some 45 classes and a service lookup: 13–20 ms of CPU on JDK 17, in the exit of a short
 * program); the JDK's own helper, which those providers call, makes just these two. It is used when
 * java.management exports its package to obs (the agent asks at start), else ManagementFactory.
 */
final class JvmBeans {
    static final MemoryMXBean MEMORY;
    static final ThreadMXBean THREADS;

    static {
        MemoryMXBean memory = null;
        ThreadMXBean threads = null;
        try {
            Class<?> helper = Class.forName("sun.management.ManagementFactoryHelper");
            if (helper.getModule().isExported(helper.getPackageName(), JvmBeans.class.getModule())) {
                memory = (MemoryMXBean) helper.getMethod("getMemoryMXBean").invoke(null);
                threads = (ThreadMXBean) helper.getMethod("getThreadMXBean").invoke(null);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // the public way below
        }
        MEMORY = memory != null ? memory : ManagementFactory.getMemoryMXBean();
        THREADS = threads != null ? threads : ManagementFactory.getThreadMXBean();
    }

    private JvmBeans() {
    }
}
