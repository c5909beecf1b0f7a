package dev.obs.agent.internal;

/**
 * One configuration option: its system property, the environment variable that stands in for it, its
 * default as users write it, and what it does. {@link Options#ALL} lists every option; the README's
 * configuration table is checked against it by a test.
 */
record Option(String property, String defaultValue, String description) {
    /** {@code obs.store.dir} → {@code OBS_STORE_DIR}; the property wins over the variable. */
    String environmentVariable() {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
