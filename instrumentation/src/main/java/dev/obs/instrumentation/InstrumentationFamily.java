package dev.obs.instrumentation;

import java.util.List;

/**
 * A group of instrumentations switched on and off together with
 * {@code obs.instrumentation.<name>.enabled}.
 */
public interface InstrumentationFamily {
    /** The family's name in property keys, e.g. {@code methods}, {@code git}, {@code fs}. */
    String name();

    /** The type instrumentations to install. Empty when the family has nothing to do. */
    List<TypeInstrumentation> typeInstrumentations();
}
