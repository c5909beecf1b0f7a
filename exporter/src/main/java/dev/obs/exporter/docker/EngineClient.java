package dev.obs.exporter.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 GET against the Docker engine API, over its unix socket or plain TCP, with a hard
 * deadline: used only on the sampler thread, so a hung engine costs a sample, never a thread of the
 * application. TLS endpoints ({@code DOCKER_TLS_VERIFY}) and named pipes are not supported.
 */
final class EngineClient {
    static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
    private static final int MAX_BODY = 4 << 20;

    /** Status and body of one answer. */
    record Response(int status, byte[] body) {
    }

    private EngineClient() {
    }

    /** True when {@code endpoint} is one this client can reach ({@code unix://}, {@code tcp://}, {@code http://}). */
    static boolean supported(String endpoint) {
        String e = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
        return e.startsWith("unix://") || e.startsWith("tcp://") || e.startsWith("http://");
    }

    static Response get(String endpoint, String path, long timeoutMillis) throws IOException {
        String e = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: obs\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        byte[] raw;
        if (e.startsWith("unix://")) {
            raw = unix(e.substring("unix://".length()), request, deadline);
        } else if (e.startsWith("tcp://") || e.startsWith("http://")) {
            URI uri = URI.create(e.startsWith("tcp://") ? "http://" + e.substring("tcp://".length()) : e);
            raw = tcp(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort(), request, timeoutMillis);
        } else {
            throw new IOException("unsupported engine endpoint");
        }
        return parse(raw);
    }

    private static byte[] unix(String socketPath, byte[] request, long deadline) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socketPath));
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(16 << 10);
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new IOException("engine timeout");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return body.toByteArray();
                }
                body.write(buf.array(), 0, buf.position());
                buf.clear();
                if (body.size() > MAX_BODY) {
                    throw new IOException("engine answer too large");
                }
            }
        }
    }

    private static byte[] tcp(String host, int port, byte[] request, long timeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeoutMillis);
            s.setSoTimeout((int) timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buf = new byte[16 << 10];
            int n;
            while ((n = in.read(buf)) >= 0) {
                body.write(buf, 0, n);
                if (body.size() > MAX_BODY) {
                    throw new IOException("engine answer too large");
                }
            }
            return body.toByteArray();
        }
    }

    /** Status line, headers, and a body that may be chunked. */
    static Response parse(byte[] raw) throws IOException {
        int headerEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headerEnd < 0) {
            throw new IOException("malformed engine answer");
        }
        String head = new String(raw, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ");
        if (status.length < 2) {
            throw new IOException("malformed engine status line");
        }
        int code = Integer.parseInt(status[1]);
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(java.util.Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        int start = headerEnd + 4;
        if (!chunked) {
            return new Response(code, java.util.Arrays.copyOfRange(raw, start, raw.length));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int pos = start;
        while (pos < raw.length) {
            int eol = indexOf(raw, "\r\n".getBytes(StandardCharsets.US_ASCII), pos);
            if (eol < 0) {
                break;
            }
            String sizeText = new String(raw, pos, eol - pos, StandardCharsets.ISO_8859_1).trim();
            int semi = sizeText.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeText : sizeText.substring(0, semi), 16);
            if (size == 0) {
                break;
            }
            body.write(raw, eol + 2, Math.min(size, raw.length - eol - 2));
            pos = eol + 2 + size + 2;
        }
        return new Response(code, body.toByteArray());
    }

    private static int indexOf(byte[] a, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= a.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
