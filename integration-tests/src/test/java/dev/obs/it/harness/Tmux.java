package dev.obs.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A pseudo-terminal of a given size: a tmux server of its own (its own socket, so parallel tests and the
 * user's tmux are untouched) running one command in one pane, read back as the screen shows it.
 */
public final class Tmux implements AutoCloseable {
    private final String socket = "obs-test-" + UUID.randomUUID();

    /** Starts {@code shellCommand} (run by sh) in a pane of {@code columns} x {@code rows}. */
    public Tmux(int columns, int rows, String shellCommand) {
        // -u: UTF-8 whatever the locale; the pane stays after the command ends so its output can be read
        tmux("-u", "new-session", "-d", "-s", "t", "-x", String.valueOf(columns), "-y", String.valueOf(rows),
                "sh -c '" + shellCommand.replace("'", "'\\''") + "; echo __END__; sleep 600'");
    }

    /**
     * The pane's text. With {@code joinWrapped} a line the terminal wrapped comes back as one line (so a too
     * long line shows as longer than the pane); with {@code escapes} colour codes are kept.
     */
    public String capture(boolean joinWrapped, boolean escapes) {
        List<String> args = new ArrayList<>(List.of("capture-pane", "-p", "-t", "t", "-S", "-", "-E", "-"));
        if (joinWrapped) {
            args.add("-J");
        }
        if (escapes) {
            args.add("-e");
        }
        return tmux(args.toArray(new String[0]));
    }

    /** Waits until the pane shows {@code text}. */
    public String awaitText(String text, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture(false, false);
            if (screen.contains(text)) {
                return screen;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("the pane never showed '" + text + "':\n" + screen);
    }

    public String awaitEnd(Duration limit) {
        return awaitText("__END__", limit);
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (AssertionError ignored) {
            // already gone
        }
    }
}
