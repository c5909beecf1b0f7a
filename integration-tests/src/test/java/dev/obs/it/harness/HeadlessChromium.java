package dev.obs.it.harness;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol with the JDK's own HTTP client
 * and WebSocket: no chromedriver. The browser gets a fresh profile, an ephemeral debugging port (read back from
 * {@code DevToolsActivePort}) and every background service switched off, so the only requests it makes are the
 * page's. It records every request the page makes, every console message and every uncaught exception.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<CompletableFuture<JsonObject>> eventWaiters = new CopyOnWriteArrayList<>();
    private final List<String> eventWaiterMethods = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> consoleMessages = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts the browser with a blank page and attaches to that page. */
    public static HeadlessChromium start(int width, int height) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: install Debian's chromium package (.ci/run does)");
        }
        Path profile = Files.createTempDirectory("obs-chromium-");
        List<String> cmd = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank");
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + STARTUP.toNanos();
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("chromium did not open its debugging port: " + cmd + "\n"
                            + Files.readString(profile.resolveSibling(profile.getFileName() + ".log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String pageSocket = null;
            for (JsonElement target : JsonParser.parseString(targets).getAsJsonArray()) {
                JsonObject t = target.getAsJsonObject();
                if ("page".equals(t.get("type").getAsString())) {
                    pageSocket = t.get("webSocketDebuggerUrl").getAsString();
                    break;
                }
            }
            if (pageSocket == null) {
                throw new AssertionError("no page target in " + targets);
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), listener)
                    .get(STARTUP.toSeconds(), TimeUnit.SECONDS);
            HeadlessChromium browser = new HeadlessChromium(process, profile, socket);
            listener.browser = browser;
            browser.call("Runtime.enable", new JsonObject());
            browser.call("Log.enable", new JsonObject());
            browser.call("Network.enable", new JsonObject());
            browser.call("Page.enable", new JsonObject());
            return browser;
        } catch (Exception e) {
            process.destroyForcibly();
            deleteTree(profile);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("could not attach to chromium", e);
        }
    }

    /** Opens {@code file} and waits for its load event. */
    public void open(Path file) {
        CompletableFuture<JsonObject> loaded = nextEvent("Page.loadEventFired");
        JsonObject params = new JsonObject();
        params.addProperty("url", file.toUri().toString());
        call("Page.navigate", params);
        await(loaded, "the page's load event");
    }

    /** Evaluates a JavaScript expression in the page (promises awaited) and returns its value as JSON. */
    public JsonElement evaluate(String expression) {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + expression + "\n" + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    /**
     * Clicks the middle of the first element matching {@code selector} as a mouse would (press and release at
     * its coordinates, after scrolling it into view), so what a person can reach is what gets clicked.
     */
    public void click(String selector) {
        JsonElement box = evaluate("(() => { const e = document.querySelector(" + quote(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()");
        if (box == null || box.isJsonNull()) {
            throw new AssertionError("nothing matches " + selector);
        }
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            JsonObject params = new JsonObject();
            params.addProperty("type", type);
            params.addProperty("x", box.getAsJsonObject().get("x").getAsDouble());
            params.addProperty("y", box.getAsJsonObject().get("y").getAsDouble());
            params.addProperty("button", type.equals("mouseMoved") ? "none" : "left");
            params.addProperty("clickCount", type.equals("mouseMoved") ? 0 : 1);
            call("Input.dispatchMouseEvent", params);
        }
    }

    /** A PNG of the whole page (not only the viewport), written to {@code file}. */
    public void screenshot(Path file) throws IOException {
        evaluate("window.scrollTo(0, 0)"); // sticky headers are drawn where the viewport last was
        JsonObject params = new JsonObject();
        params.addProperty("format", "png");
        params.addProperty("captureBeyondViewport", true);
        JsonObject metrics = call("Page.getLayoutMetrics", new JsonObject());
        JsonObject size = metrics.getAsJsonObject(metrics.has("cssContentSize") ? "cssContentSize" : "contentSize");
        JsonObject clip = new JsonObject();
        clip.addProperty("x", 0);
        clip.addProperty("y", 0);
        clip.addProperty("width", size.get("width").getAsDouble());
        clip.addProperty("height", size.get("height").getAsDouble());
        clip.addProperty("scale", 1);
        params.add("clip", clip);
        String data = call("Page.captureScreenshot", params).get("data").getAsString();
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    /** Every URL the page requested, in order (the document itself included). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Console messages of level error or warning, and uncaught exceptions, as text. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Every console message, as {@code level: text}. */
    public List<String> consoleMessages() {
        return List.copyOf(consoleMessages);
    }

    public JsonObject call(String method, JsonObject params) {
        int id = ids.incrementAndGet();
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(message.toString(), true);
        JsonObject answer = await(reply, method);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer.get("error"));
        }
        return answer.getAsJsonObject("result");
    }

    private CompletableFuture<JsonObject> nextEvent(String method) {
        CompletableFuture<JsonObject> waiter = new CompletableFuture<>();
        eventWaiterMethods.add(method);
        eventWaiters.add(waiter);
        return waiter;
    }

    private static JsonObject await(CompletableFuture<JsonObject> future, String what) {
        try {
            return future.get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("chromium did not answer " + what + " within " + CALL, e);
        }
    }

    private void onMessage(JsonObject message) {
        if (message.has("id")) {
            CompletableFuture<JsonObject> reply = pending.remove(message.get("id").getAsInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        String method = message.get("method").getAsString();
        JsonObject params = message.getAsJsonObject("params");
        switch (method) {
            case "Network.requestWillBeSent" -> requests.add(params.getAsJsonObject("request").get("url").getAsString());
            case "Runtime.consoleAPICalled" -> {
                String type = params.get("type").getAsString();
                StringBuilder text = new StringBuilder(type).append(':');
                for (JsonElement arg : params.getAsJsonArray("args")) {
                    JsonObject a = arg.getAsJsonObject();
                    text.append(' ').append(a.has("value") ? a.get("value").toString()
                            : a.has("description") ? a.get("description").getAsString() : a.get("type").getAsString());
                }
                consoleMessages.add(text.toString());
                if (type.equals("error") || type.equals("warning") || type.equals("assert")) {
                    errors.add(text.toString());
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.getAsJsonObject("exceptionDetails"));
            case "Log.entryAdded" -> {
                JsonObject entry = params.getAsJsonObject("entry");
                String level = entry.get("level").getAsString();
                consoleMessages.add("log " + level + ": " + entry.get("text").getAsString());
                if (level.equals("error") || level.equals("warning")) {
                    errors.add("log " + level + ": " + entry.get("text").getAsString()
                            + (entry.has("url") ? " (" + entry.get("url").getAsString() + ")" : ""));
                }
            }
            default -> {
            }
        }
        for (int i = 0; i < eventWaiterMethods.size(); i++) {
            if (eventWaiterMethods.get(i).equals(method)) {
                eventWaiterMethods.remove(i);
                eventWaiters.remove(i).complete(params);
                break;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is killed below anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(profile);
    }

    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** Reassembles fragmented text frames; hands whole messages to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        volatile HeadlessChromium browser;
        private final StringBuilder partial = new StringBuilder();
        private final List<JsonObject> early = new ArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
                partial.setLength(0);
                HeadlessChromium b = browser;
                if (b == null) {
                    early.add(message);
                } else {
                    early.forEach(b::onMessage);
                    early.clear();
                    b.onMessage(message);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
