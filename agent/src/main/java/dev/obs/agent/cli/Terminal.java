package dev.obs.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Where output goes and what it may use: the width to fit (COLUMNS, else the terminal's size, else 120 for a
 * pipe) and whether to colour ({@code --color=auto} colours a terminal unless NO_COLOR is set or TERM is dumb).
 */
final class Terminal {
    enum ColorMode { auto, always, never }

    static final String RESET = "\u001b[0m";
    static final String BOLD = "\u001b[1m";
    static final String DIM = "\u001b[2m";
    static final String RED = "\u001b[31m";
    static final String GREEN = "\u001b[32m";
    static final String YELLOW = "\u001b[33m";
    static final String CYAN = "\u001b[36m";

    final PrintStream out;
    final int width;
    final boolean color;
    final boolean interactive;

    private Terminal(PrintStream out, int width, boolean color, boolean interactive) {
        this.out = out;
        this.width = width;
        this.color = color;
        this.interactive = interactive;
    }

    static Terminal detect(ColorMode mode) {
        boolean tty = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        boolean color = switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term);
        };
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        return new Terminal(out, width(tty), color, tty);
    }

    private static int width(boolean tty) {
        String columns = System.getenv("COLUMNS");
        if (columns != null) {
            try {
                int c = Integer.parseInt(columns.trim());
                if (c >= 20) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the terminal's size
            }
        }
        if (tty) {
            try {
                Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
                String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    String[] parts = answer.split("\\s+");
                    if (parts.length == 2) {
                        int c = Integer.parseInt(parts[1]);
                        if (c >= 20) {
                            return c;
                        }
                    }
                }
            } catch (IOException | InterruptedException | NumberFormatException ignored) {
                // a terminal without stty: the default
            }
            return 80;
        }
        return 120;
    }

    String paint(String style, String text) {
        return color ? style + text + RESET : text;
    }

    /** Clears the screen and puts the cursor home, for a redraw in place. */
    void home() {
        out.print("\u001b[H\u001b[2J");
    }
}
