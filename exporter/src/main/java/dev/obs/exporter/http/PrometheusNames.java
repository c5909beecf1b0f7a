package dev.obs.exporter.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenTelemetry's Prometheus compatibility rules for names: characters Prometheus does not allow become
 * {@code _} (runs of them one), the unit is spelled out as a suffix ({@code s} → {@code _seconds},
 * {@code By} → {@code _bytes}; annotations in braces such as {@code {record}} are dropped), and monotonic sums
 * end in {@code _total}. Results are cached: a scrape asks for the same few names thousands of times.
 */
final class PrometheusNames {
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
            Map.entry("ns", "nanoseconds"), Map.entry("min", "minutes"), Map.entry("h", "hours"),
            Map.entry("d", "days"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
            Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("bit", "bits"),
            Map.entry("%", "percent"), Map.entry("Hz", "hertz"), Map.entry("Cel", "celsius"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"));
    private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour",
            "d", "day", "w", "week", "mo", "month", "y", "year");

    private final ConcurrentHashMap<String, String> labels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> families = new ConcurrentHashMap<>();

    /** A label name: {@code git.operation} → {@code git_operation}; a leading digit gets {@code key_}. */
    String label(String key) {
        String cached = labels.get(key);
        if (cached == null) {
            cached = sanitize(key, false);
            if (!cached.isEmpty() && Character.isDigit(cached.charAt(0))) {
                cached = "key_" + cached;
            }
            labels.put(key, cached);
        }
        return cached;
    }

    /**
     * The metric family name, without {@code _total} (a counter's samples add it): {@code fs.io.bytes} with
     * unit {@code By} → {@code fs_io_bytes}; a gauge of unit {@code 1} ends in {@code _ratio}.
     */
    String family(String name, String unit, boolean counter, boolean gauge) {
        String key = name + '\u0000' + unit + '\u0000' + counter + gauge;
        String cached = families.get(key);
        if (cached == null) {
            cached = computeFamily(name, unit, counter, gauge);
            families.put(key, cached);
        }
        return cached;
    }

    /** The unit word the family name ends in ({@code seconds}, {@code bytes}), or null. */
    static String unitWord(String unit, boolean gauge) {
        if (unit == null || unit.isEmpty()) {
            return null;
        }
        String u = unit.replaceAll("\\{[^}]*}", "").trim();
        if (u.isEmpty()) {
            return null;
        }
        if (u.equals("1")) {
            return gauge ? "ratio" : null;
        }
        int slash = u.indexOf('/');
        if (slash >= 0) {
            String num = u.substring(0, slash).trim();
            String den = u.substring(slash + 1).trim();
            String numWord = num.isEmpty() ? "" : UNITS.getOrDefault(num, num);
            String denWord = PER_UNITS.getOrDefault(den, UNITS.getOrDefault(den, den));
            String word = (numWord.isEmpty() ? "" : numWord + "_") + "per_" + denWord;
            return sanitize(word, false);
        }
        return sanitize(UNITS.getOrDefault(u, u), false);
    }

    private static String computeFamily(String name, String unit, boolean counter, boolean gauge) {
        String n = sanitize(name, true);
        if (counter && n.endsWith("_total")) {
            n = n.substring(0, n.length() - "_total".length());
        }
        String word = unitWord(unit, gauge);
        if (word != null && !word.isEmpty() && !n.endsWith("_" + word) && !n.equals(word)) {
            n = n + "_" + word;
        }
        if (!n.isEmpty() && Character.isDigit(n.charAt(0))) {
            n = "_" + n;
        }
        return n;
    }

    /** Invalid characters → {@code _}, runs of {@code _} → one, no {@code _} at either end. */
    static String sanitize(String s, boolean allowColon) {
        StringBuilder b = new StringBuilder(s.length());
        boolean underscore = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || allowColon && c == ':';
            if (ok) {
                b.append(c);
                underscore = false;
            } else if (!underscore) {
                b.append('_');
                underscore = true;
            }
        }
        int start = 0;
        int end = b.length();
        while (start < end && b.charAt(start) == '_') {
            start++;
        }
        while (end > start && b.charAt(end - 1) == '_') {
            end--;
        }
        return b.substring(start, end);
    }
}
