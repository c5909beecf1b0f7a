package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The summary's columns are String.format's, character for character, in every locale's digits and separator. */
class SummaryTextTest {
    private final Locale formatLocale = Locale.getDefault(Locale.Category.FORMAT);

    @AfterEach
    void restoreLocale() {
        Locale.setDefault(Locale.Category.FORMAT, formatLocale);
    }

    @Test
    void writesWhatStringFormatWritesInEveryLocale() {
        SplittableRandom random = new SplittableRandom(14);
        for (Locale locale : new Locale[] {Locale.US, Locale.ROOT, Locale.GERMANY, Locale.FRANCE,
                Locale.forLanguageTag("ar-EG"), Locale.forLanguageTag("th-TH-u-nu-thai"),
                Locale.forLanguageTag("hi-IN-u-nu-deva"), Locale.forLanguageTag("fa-IR")}) {
            Locale.setDefault(Locale.Category.FORMAT, locale);
            for (int i = 0; i < 20_000; i++) {
                double value = switch (i % 5) {
                    case 0 -> random.nextLong(0, 1L << 40) / 1e3; // nanoseconds as microseconds
                    case 1 -> random.nextLong(0, 1L << 50) / 1e9; // nanoseconds as seconds
                    case 2 -> random.nextLong(0, 100_000) / 1e3 + 0.05; // halfway cases
                    case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(-8, 20));
                    default -> new double[] {0.0, -0.0, -1.25, Double.NaN, Double.POSITIVE_INFINITY, 0.05, 0.15,
                        0.25, 2.5, 1e22}[random.nextInt(10)];
                };
                long count = i % 7 == 0 ? -random.nextLong(0, 1_000_000) : random.nextLong(0, Long.MAX_VALUE >> (i % 60));
                String name = "op" + i;
                StringBuilder b = new StringBuilder();
                SummaryText.of(b).text("  ").left(name, 12).text(" ").right(count, 10).text(" ").right(value, 1, 12)
                        .text(" ").fixed(value, 2).text(" ").number(count).text(" ").right(name, 8).newline();
                String expected = String.format("  %-12s %10d %12.1f %.2f %d %8s%n", name, count, value, value,
                        count, name);
                assertEquals(expected, b.toString(), locale + " " + value + " " + count);
            }
        }
    }

    @Test
    void rootIsStringFormatOfLocaleRoot() {
        Locale.setDefault(Locale.Category.FORMAT, Locale.GERMANY);
        StringBuilder b = new StringBuilder();
        SummaryText.root(b).right(1234.5678, 3, 10).text(" ").fixed(0.125, 2).text(" ").right(42L, 5);
        assertEquals(String.format(Locale.ROOT, "%10.3f %.2f %5d", 1234.5678, 0.125, 42L), b.toString());
        // the positive control: the default locale writes another separator, so root() did choose ROOT
        assertEquals("     0,13", String.format("%9.2f", 0.125));
    }
}
