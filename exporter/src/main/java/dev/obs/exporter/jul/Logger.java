package dev.obs.exporter.jul;

import java.util.function.Supplier;

/**
 * What the bundled OpenTelemetry SDK, OkHttp and Okio get when they ask for a
 * {@code java.util.logging.Logger}: the shading step (agent/pom.xml) relocates {@code java.util.logging} to
 * this package in obs.jar. The first {@code Logger.getLogger} of a JVM initialises the JDK's
 * {@code LogManager}, which a program may still want to choose later ({@code java.util.logging.manager}:
 * JBoss Modules, WildFly, log4j's JUL bridge installed at run time); obs's exporter starts on the first
 * record, so it must not be the one to do it. Nothing is logged: obs reports its export problems in its
 * self-metrics and the exit summary, never on the program's stderr or through its logging set-up (which is
 * what the JUL loggers, switched off, did before).
 *
 * <p>Only the members the shaded libraries call exist here; {@code ShadedLoggingTest} (integration-tests) fails
 * the build when obs.jar refers to one that does not, or to {@code java.util.logging} itself.
 */
public final class Logger {
    private static final Logger SILENT = new Logger();

    private Logger() {
    }

    public static Logger getLogger(String name) {
        return SILENT;
    }

    public static Logger getLogger(String name, String resourceBundleName) {
        return SILENT;
    }

    public static Logger getGlobal() {
        return SILENT;
    }

    public static Logger getAnonymousLogger() {
        return SILENT;
    }

    public boolean isLoggable(Level level) {
        return false;
    }

    public void setLevel(Level level) {
    }

    public Level getLevel() {
        return Level.OFF;
    }

    public void setUseParentHandlers(boolean useParentHandlers) {
    }

    public void log(Level level, String message) {
    }

    public void log(Level level, String message, Object parameter) {
    }

    public void log(Level level, String message, Object[] parameters) {
    }

    public void log(Level level, String message, Throwable thrown) {
    }

    public void log(Level level, Supplier<String> message) {
    }

    public void log(Level level, Throwable thrown, Supplier<String> message) {
    }

    public void logp(Level level, String sourceClass, String sourceMethod, String message) {
    }

    public void logp(Level level, String sourceClass, String sourceMethod, String message, Throwable thrown) {
    }

    public void severe(String message) {
    }

    public void warning(String message) {
    }

    public void info(String message) {
    }

    public void config(String message) {
    }

    public void fine(String message) {
    }

    public void finer(String message) {
    }

    public void finest(String message) {
    }

    public void severe(Supplier<String> message) {
    }

    public void warning(Supplier<String> message) {
    }

    public void info(Supplier<String> message) {
    }

    public void config(Supplier<String> message) {
    }

    public void fine(Supplier<String> message) {
    }

    public void finer(Supplier<String> message) {
    }

    public void finest(Supplier<String> message) {
    }
}
