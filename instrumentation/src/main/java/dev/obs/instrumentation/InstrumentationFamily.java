package dev.obs.instrumentation;

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
}
