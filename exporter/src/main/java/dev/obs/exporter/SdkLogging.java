package dev.obs.exporter;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The bundled OpenTelemetry SDK and OkHttp log export problems through java.util.logging, which would print
 * stack traces on the application's stderr through the application's own logging set-up. obs counts those
 * problems in its self-metrics instead, so its (relocated) loggers are switched off.
 */
final class SdkLogging {
    /** Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level. */
    private static final Logger[] SILENCED = new Logger[2];

    private SdkLogging() {
    }

    static synchronized void silence() {
        if (SILENCED[0] != null) {
            return;
        }
        String[] names = {relocated("io.opentelemetry"), relocated("okhttp3")};
        for (int i = 0; i < names.length; i++) {
            Logger logger = Logger.getLogger(names[i]);
            logger.setLevel(Level.OFF);
            logger.setUseParentHandlers(false);
            SILENCED[i] = logger;
        }
    }

    /**
     * The package's name as it is at run time: shading moves the classes under {@code dev.obs.shaded} and
     * may rewrite both literals here as well; the result is the relocated name either way.
     */
    private static String relocated(String pkg) {
        String marker = io.opentelemetry.api.common.Attributes.class.getName();
        String prefix = marker.substring(0, marker.indexOf("io.opentelemetry"));
        return prefix + pkg;
    }
}
