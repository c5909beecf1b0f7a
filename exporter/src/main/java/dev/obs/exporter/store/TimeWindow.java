package dev.obs.exporter.store;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A half-open time range {@code [since, until)} in epoch nanoseconds. {@code since == 0} means "from the first
 * record", {@code until == Long.MAX_VALUE} "up to the last". Times written by a user are read in the local
 * time zone; a relative time ({@code 30m}, {@code 2h}, {@code 1d}, {@code 45s}) counts back from now.
 */
public record TimeWindow(long sinceNanos, long untilNanos) {
    public static final TimeWindow ALL = new TimeWindow(0, Long.MAX_VALUE);
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

    public TimeWindow {
        if (untilNanos <= sinceNanos) {
            throw new IllegalArgumentException("the window ends before it starts");
        }
    }

    /**
     * Parses the {@code --since}/{@code --until} pair (either may be null). An open end is "now" for the rate
     * of a window; {@link #untilNanos} stays {@code Long.MAX_VALUE} so records written later still count.
     */
    public static TimeWindow parse(String since, String until, Instant now, ZoneId zone) {
        long s = since == null ? 0 : parseTime("--since", since, now, zone);
        long u = until == null ? Long.MAX_VALUE : parseTime("--until", until, now, zone);
        if (u <= s) {
            throw new IllegalArgumentException("--until " + until + " is not after --since " + since);
        }
        return new TimeWindow(s, u);
    }

    /** One point in time as the options accept it; the message of the exception names the option and value. */
    public static long parseTime(String option, String text, Instant now, ZoneId zone) {
        String t = text.trim();
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return toNanos(now.minus(d));
        }
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return toNanos(Instant.parse(t.replace(' ', 'T')));
            }
            if (t.length() == 10) {
                return toNanos(LocalDate.parse(t).atStartOfDay(zone).toInstant());
            }
            return toNanos(LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time: use 30m, 2h, 1d, "
                    + "2025-10-23T10:00 or \"2025-10-23 10:00:00\"");
        }
    }

    public boolean openStart() {
        return sinceNanos == 0;
    }

    public boolean openEnd() {
        return untilNanos == Long.MAX_VALUE;
    }

    public boolean contains(long epochNanos) {
        return epochNanos >= sinceNanos && epochNanos < untilNanos;
    }

    private static long toNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
