package dev.obs.instrumentation;

import dev.obs.exporter.MetricSource;
import java.util.List;

/**
 * A group of instrumentations switched on and off together with
 * {@code obs.instrumentation.<name>.enabled}.
 */
public interface InstrumentationFamily {
    /** The family's name in property keys, e.g. {@code methods}, {@code git}, {@code fs}. */
    String name();

    /** The type instrumentations to install (woven by Byte Buddy, lazily). Empty when the family has none. */
    List<TypeInstrumentation> typeInstrumentations();

    /** The java.base methods the family weaves before premain returns, without Byte Buddy. */
    default List<JavaBaseHook> javaBaseHooks() {
        return List.of();
    }

    /**
     * The metrics the family collects itself rather than on the metric path (created on the exporter thread
     * when exporting starts), or null. Asked of every family, {@code woven} or not: a family's records may come
     * through another's advice (the docker command line's containers come through the process family).
     */
    default MetricSource.Factory metricSources(boolean woven) {
        return null;
    }
}
