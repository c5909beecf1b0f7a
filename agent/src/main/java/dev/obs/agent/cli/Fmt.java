package dev.obs.agent.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Short human forms of durations, counts, bytes and times, each fitting a narrow column. */
final class Fmt {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Fmt() {
    }

    /** Seconds as 850ns, 12µs, 3.4ms, 1.20s, 2m05s; "-" when unknown. */
    static String seconds(double s) {
        if (Double.isNaN(s)) {
            return "-";
        }
        if (s < 1e-6) {
            return Math.round(s * 1e9) + "ns";
        }
        if (s < 1e-3) {
            return trim(s * 1e6) + "µs";
        }
        if (s < 1) {
            return trim(s * 1e3) + "ms";
        }
        if (s < 60) {
            return String.format(Locale.ROOT, "%.2fs", s);
        }
        long whole = Math.round(s);
        if (whole < 3600) {
            return whole / 60 + "m" + String.format(Locale.ROOT, "%02ds", whole % 60);
        }
        if (whole < 86400) {
            return whole / 3600 + "h" + String.format(Locale.ROOT, "%02dm", whole % 3600 / 60);
        }
        return whole / 86400 + "d" + String.format(Locale.ROOT, "%02dh", whole % 86400 / 3600);
    }

    static String nanos(long n) {
        return seconds(n / 1e9);
    }

    private static String trim(double v) {
        return v >= 100 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String count(long n) {
        if (n < 100_000) {
            return String.valueOf(n);
        }
        if (n < 100_000_000) {
            return String.format(Locale.ROOT, "%.1fk", n / 1e3).replace(".0k", "k");
        }
        return String.format(Locale.ROOT, "%.1fM", n / 1e6);
    }

    /** Per second, or per minute or hour when that reads better: 12/s, 0.42/s, 3.5/m, 2.0/h. */
    static String rate(double perSecond) {
        if (perSecond == 0) {
            return "0";
        }
        if (perSecond >= 100) {
            return count(Math.round(perSecond)) + "/s";
        }
        if (perSecond >= 0.1) {
            return String.format(Locale.ROOT, "%.2f/s", perSecond);
        }
        if (perSecond * 60 >= 0.1) {
            return String.format(Locale.ROOT, "%.1f/m", perSecond * 60);
        }
        return String.format(Locale.ROOT, "%.1f/h", perSecond * 3600);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "-";
        }
        if (b < 1024) {
            return b + "B";
        }
        String[] units = {"K", "M", "G", "T"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 ? String.valueOf(Math.round(v)) : String.format(Locale.ROOT, "%.1f", v)) + units[u] + "i";
    }

    static String time(long epochNanos) {
        return TIME.format(Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L));
    }

    static String iso(long epochNanos) {
        return Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L).toString();
    }

    /** Cuts {@code s} to {@code width} code points, marking the cut with '…'. */
    static String fit(String s, int width) {
        if (width <= 0) {
            return "";
        }
        if (s.codePointCount(0, s.length()) <= width) {
            return s;
        }
        int end = s.offsetByCodePoints(0, Math.max(0, width - 1));
        return s.substring(0, end) + "…";
    }

    static String padRight(String s, int width) {
        int n = s.codePointCount(0, s.length());
        return n >= width ? s : s + " ".repeat(width - n);
    }

    static String padLeft(String s, int width) {
        int n = s.codePointCount(0, s.length());
        return n >= width ? s : " ".repeat(width - n) + s;
    }
}
