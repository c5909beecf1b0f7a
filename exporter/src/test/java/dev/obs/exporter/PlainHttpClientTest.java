package dev.obs.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PlainHttpClient against the JDK's HTTP server (and, for a server that closes idle connections, a socket). */
class PlainHttpClientTest {
    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(boolean chunked, int status, byte[] answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/v1/traces", (HttpExchange x) -> {
            byte[] body = x.getRequestBody().readAllBytes();
            seen.add(x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Content-Type")
                    + " " + x.getRequestHeaders().getFirst("X-Team") + " " + new String(body, StandardCharsets.UTF_8)
                    + " from " + x.getRemoteAddress().getPort());
            x.sendResponseHeaders(status, chunked ? 0 : answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    private static PlainHttpClient.Response post(PlainHttpClient c, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return c.post(Map.of("Content-Type", List.of("application/x-protobuf"), "X-Team", List.of("obs")),
                bytes.length, out -> out.write(bytes), 2000, 2000, 1 << 20);
    }

    @Test
    void postsTheBodyWithItsHeadersAndReadsAFixedLengthAnswer() throws IOException {
        URI endpoint = serve(false, 200, "ok".getBytes(StandardCharsets.UTF_8));
        PlainHttpClient.Response r = post(new PlainHttpClient(endpoint), "spans");
        assertEquals(200, r.status());
        assertEquals("OK", r.message());
        assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals("POST /v1/traces application/x-protobuf obs spans", seen.get(0).replaceAll(" from \\d+$", ""));
    }

    @Test
    void readsAChunkedAnswerAndKeepsTheConnectionForTheNextRequest() throws IOException {
        URI endpoint = serve(true, 400, "bad request body".getBytes(StandardCharsets.UTF_8));
        PlainHttpClient c = new PlainHttpClient(endpoint);
        PlainHttpClient.Response first = post(c, "one");
        PlainHttpClient.Response second = post(c, "two");
        assertEquals(400, first.status());
        assertArrayEquals("bad request body".getBytes(StandardCharsets.UTF_8), second.body());
        // both requests came from the same client port: one connection, kept alive
        assertEquals(seen.get(0).replaceAll(".* from ", ""), seen.get(1).replaceAll(".* from ", ""), seen.toString());
        assertEquals(List.of("one", "two"), List.of(seen.get(0).split(" ")[4], seen.get(1).split(" ")[4]));
    }

    @Test
    void sendsOnceMoreOnANewConnectionWhenTheServerClosedTheIdleOne() throws Exception {
        // a server that answers one request per connection and then closes it without saying so
        List<String> bodies = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = listener.accept()) {
                        InputStream in = s.getInputStream();
                        String head = readHead(in);
                        int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
                        bodies.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                        Thread.sleep(100); // the client has read the answer and keeps the connection
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            t.start();
            PlainHttpClient c = new PlainHttpClient(URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/x"));
            assertEquals(200, post(c, "first").status());
            Thread.sleep(300); // the server has closed that connection by now
            assertEquals(200, post(c, "second").status());
            t.join(5000);
        }
        assertEquals(List.of("first", "second"), bodies);
    }

    @Test
    void refusesAHeaderValueThatWouldSplitTheRequest() throws IOException {
        URI endpoint = serve(false, 200, new byte[0]);
        PlainHttpClient c = new PlainHttpClient(endpoint);
        assertThrows(IllegalArgumentException.class, () -> c.post(Map.of("X-Team", List.of("a\r\nX-Evil: 1")), 0,
                out -> { }, 2000, 2000, 1024));
        // positive control: the same client posts a clean header
        assertEquals(200, post(c, "clean").status());
    }

    @Test
    void handlesOnlyPlainHttpEndpoints() {
        assertEquals(true, PlainHttpClient.handles(URI.create("http://collector:4318/v1/traces")));
        assertEquals(false, PlainHttpClient.handles(URI.create("https://collector:4318/v1/traces")));
        assertEquals(false, PlainHttpClient.handles(URI.create("http://user:secret@collector:4318/v1/traces")));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int ch = in.read();
            if (ch < 0) {
                throw new IOException("closed");
            }
            b.append((char) ch);
        }
        return b.toString();
    }
}
