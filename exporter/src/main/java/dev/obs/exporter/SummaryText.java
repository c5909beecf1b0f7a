package dev.obs.exporter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * The exit summary's columns, written as {@link String#format} would write them ({@code %-12s}, {@code %10d},
 * {@code %12.1f}, {@code %n}) without {@link java.util.Formatter}. The summary is printed in the shutdown
 * hook, which the JVM's exit waits for, with obs's code not yet compiled: there a {@code String.format} of a
 * table row costs a few hundred microseconds (a Formatter, its locale's symbols, parsing the pattern), a whole
 * summary several milliseconds of every run. The text is the same character for character: numbers in the
 * locale's digits and decimal separator, decimals rounded half up from the shortest representation of the
 * double (as Formatter does); a value this class does not write itself (a negative or non-finite double, a
 * locale whose digits are not ASCII) is handed to {@code String.format}.
 */
public final class SummaryText {
    private final StringBuilder out;
    private final Locale locale;
    /** False when the locale's digits are not {@code 0-9}: every number then goes through String.format. */
    private final boolean asciiDigits;
    private final char decimalSeparator;

    private SummaryText(StringBuilder out, Locale locale) {
        this.out = out;
        this.locale = locale;
        if (locale.equals(Locale.US)) {
            asciiDigits = true;
            decimalSeparator = '.';
        } else {
            DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(locale);
            asciiDigits = symbols.getZeroDigit() == '0';
            decimalSeparator = symbols.getDecimalSeparator();
        }
    }

    /** Writes to {@code out} in the locale {@code String.format(pattern, ...)} uses. */
    public static SummaryText of(StringBuilder out) {
        return new SummaryText(out, Locale.getDefault(Locale.Category.FORMAT));
    }

    /** Writes to {@code out} as {@code String.format(Locale.ROOT, pattern, ...)}. */
    public static SummaryText root(StringBuilder out) {
        return new SummaryText(out, Locale.ROOT);
    }

    /** Text as it is. */
    public SummaryText text(String s) {
        out.append(s);
        return this;
    }

    /** {@code %-<width>s}. */
    public SummaryText left(String s, int width) {
        String v = String.valueOf(s);
        out.append(v);
        spaces(width - v.length());
        return this;
    }

    /** {@code %<width>s}. */
    public SummaryText right(String s, int width) {
        String v = String.valueOf(s);
        spaces(width - v.length());
        out.append(v);
        return this;
    }

    /** {@code %d}. */
    public SummaryText number(long v) {
        return right(v, 0);
    }

    /** {@code %<width>d}. */
    public SummaryText right(long v, int width) {
        if (!asciiDigits) {
            out.append(String.format(locale, width > 0 ? "%" + width + "d" : "%d", v));
            return this;
        }
        return right(Long.toString(v), width);
    }

    /** {@code %.<decimals>f}. */
    public SummaryText fixed(double v, int decimals) {
        return right(v, decimals, 0);
    }

    /** {@code %<width>.<decimals>f}. */
    public SummaryText right(double v, int decimals, int width) {
        if (!asciiDigits || !Double.isFinite(v) || Double.compare(v, 0.0) < 0) {
            out.append(String.format(locale, "%" + (width > 0 ? width : "") + "." + decimals + "f", v));
            return this;
        }
        // BigDecimal.valueOf takes the digits of Double.toString, the ones Formatter rounds
        String s = BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        if (decimalSeparator != '.' && decimals > 0) {
            s = s.replace('.', decimalSeparator);
        }
        return right(s, width);
    }

    /** {@code %n}. */
    public SummaryText newline() {
        out.append(System.lineSeparator());
        return this;
    }

    private void spaces(int n) {
        for (int i = 0; i < n; i++) {
            out.append(' ');
        }
    }
}
