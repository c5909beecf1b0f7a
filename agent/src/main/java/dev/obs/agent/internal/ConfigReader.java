package dev.obs.agent.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads options from system properties, then their environment variables, and parses them. A malformed
 * value produces exactly one warning naming the property, the value and the default used; parsing
 * never throws.
 */
final class ConfigReader {
    /**
     * Compiled when a duration or size option is set, not when the class loads: compiling them costs premain
     * a millisecond or two, and most runs set none.
     */
    private static final class Patterns {
        static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
        static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(k|kb|kib|m|mb|mib|g|gb|gib)?");
    }

    private final Function<String, String> properties;
    private final Function<String, String> environment;
    private final Consumer<String> warnings;

    ConfigReader(Function<String, String> properties, Function<String, String> environment,
                 Consumer<String> warnings) {
        this.properties = properties;
        this.environment = environment;
        this.warnings = warnings;
    }

    /** The raw value (trimmed), or null when neither the property nor its variable is set. */
    String raw(Option option) {
        return raw(option.property(), option.environmentVariable());
    }

    String raw(String property, String variable) {
        String v = properties.apply(property);
        if (v == null) {
            v = environment.apply(variable);
        }
        return v == null ? null : v.trim();
    }

    /** An environment variable that is not an option of ours ({@code XDG_CACHE_HOME}). */
    String env(String variable) {
        return environment.apply(variable);
    }

    String string(Option option, String defaultValue) {
        String v = raw(option);
        return v == null || v.isEmpty() ? defaultValue : v;
    }

    boolean bool(Option option, boolean defaultValue) {
        return bool(option.property(), option.environmentVariable(), defaultValue);
    }

    boolean bool(String property, String variable, boolean defaultValue) {
        String v = raw(property, variable);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        return warn(property, v, "true or false", defaultValue);
    }

    int positiveInt(Option option, int defaultValue, int max) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        return warn(option.property(), v, "a whole number from 1 to " + max, defaultValue);
    }

    double ratio(Option option, double defaultValue) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && d <= 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        return warn(option.property(), v, "a number from 0 to 1", defaultValue);
    }

    /** OTel duration forms: {@code 500ms}, {@code 10s}, {@code 1m}, {@code 2h}, {@code 1d}; bare = ms. */
    Duration duration(Option option, Duration defaultValue) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        Matcher m = Patterns.DURATION.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                Duration d = switch (unit) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofMillis(n);
                };
                if (!d.isZero()) {
                    return d;
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // reported below
            }
        }
        return warn(option.property(), v, "a positive duration such as 500ms, 10s or 1m",
                defaultValue, format(defaultValue));
    }

    /** Bytes with optional binary suffix: {@code 4096}, {@code 64k}, {@code 16m}, {@code 1g}. */
    long size(Option option, long defaultValue) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        Matcher m = Patterns.SIZE.matcher(v.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1);
                long bytes = switch (unit) {
                    case "k" -> Math.multiplyExact(n, 1024L);
                    case "m" -> Math.multiplyExact(n, 1024L * 1024);
                    case "g" -> Math.multiplyExact(n, 1024L * 1024 * 1024);
                    default -> n;
                };
                if (bytes > 0) {
                    return bytes;
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // reported below
            }
        }
        return warn(option.property(), v, "a positive size such as 4096, 64k or 16m", defaultValue);
    }

    /** One of {@code allowed} (case-insensitive, returned lower-case). */
    String oneOf(Option option, String defaultValue, String... allowed) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a;
            }
        }
        return warn(option.property(), v, "one of " + String.join(", ", allowed), defaultValue);
    }

    /** An http or https URL, or {@code defaultValue}. */
    String url(Option option, String defaultValue) {
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme();
            if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
                return v;
            }
        } catch (Exception ignored) {
            // reported below
        }
        return warn(option.property(), v, "an http:// or https:// URL", defaultValue);
    }

    /**
     * {@code key=value,key2=value2} with percent-decoded values (the OTel list form).
     *
     * @param secret true when values must never appear in a warning (headers)
     */
    Map<String, String> keyValues(Option option, boolean secret) {
        Map<String, String> out = new LinkedHashMap<>();
        String v = raw(option);
        if (v == null || v.isEmpty()) {
            return out;
        }
        for (String pair : v.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                String shown = secret ? "(value hidden)" : v;
                warnings.accept("obs: warning: " + option.property() + "=" + quote(shown)
                        + " has an entry that is not key=value; using default: that entry is ignored");
                continue;
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            try {
                value = URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException keepAsWritten) {
                // not percent-encoded: keep as written
            }
            out.put(key, value);
        }
        return out;
    }

    /** Reports a malformed value once and returns the default. */
    <T> T warn(String property, String value, String expected, T defaultValue) {
        return warn(property, value, expected, defaultValue, String.valueOf(defaultValue));
    }

    <T> T warn(String property, String value, String expected, T defaultValue, String shownDefault) {
        warnings.accept("obs: warning: " + property + "=" + quote(value) + " is not " + expected
                + "; using default " + quote(shownDefault));
        return defaultValue;
    }

    /** Where warnings go, for parts of the configuration checked elsewhere (the configuration file's rules). */
    Consumer<String> warnings() {
        return warnings;
    }

    /** Reports a problem with a value whose message the caller composes. */
    void warnRaw(String message) {
        warnings.accept(message);
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
