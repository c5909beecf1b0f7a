package dev.obs.exporter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP/1.1 POSTs to one {@code http://} endpoint over plain sockets kept alive between requests: what
 * {@link UrlConnectionSender} uses when no proxy and no TLS are involved. The JDK's {@code HttpURLConnection}
 * does the same with about a hundred more classes at the first export of every run (its handler, keep-alive
 * cache, authenticator and proxy machinery, and the platform logger it initialises), some 15 ms of CPU in
 * interpreted code; this does only what an OTLP export needs: a request with a length, and a response read to
 * its end (length, chunked, or to the connection's close) so the connection can serve the next one.
 *
 * <p>Thread-safe: each request takes an idle connection or opens one. A request on a kept-alive connection that
 * the server had closed meanwhile fails before any byte of a response, and is sent once more on a new
 * connection (as HttpURLConnection does); one that fails after a byte of the response is not. {@link #closeAll} closes the connections in use and idle (the exit).
 */
final class PlainHttpClient {
    /** What a response line and its headers may take, at most (longer: the response is refused). */
    private static final int MAX_HEAD_BYTES = 64 << 10;

    private final String host;
    private final int port;
    private final String target;
    private final String hostHeader;
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final Set<Connection> inUse = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** The status, its reason phrase and the body (at most the bound given to {@link #post}). */
    record Response(int status, String message, byte[] body) {
    }

    PlainHttpClient(URI endpoint) {
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() >= 0 ? endpoint.getPort() : 80;
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        this.target = endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
        this.hostHeader = endpoint.getPort() >= 0 ? host + ":" + port : host;
    }

    /** Whether this client can send to {@code endpoint} itself: plain http, a host, no user information. */
    static boolean handles(URI endpoint) {
        return "http".equalsIgnoreCase(endpoint.getScheme()) && endpoint.getHost() != null
                && endpoint.getRawUserInfo() == null;
    }

    /**
     * Sends {@code body} ({@code length} bytes, written by {@code writer}) with {@code headers} and reads the
     * response, keeping at most {@code maxBody} bytes of its body.
     */
    Response post(Map<String, List<String>> headers, long length, BodyWriter writer, int connectTimeoutMillis,
                  int readTimeoutMillis, int maxBody) throws IOException {
        byte[] head = head(headers, length);
        Connection c = takeIdle();
        boolean reused = c != null;
        while (true) {
            if (c == null) {
                c = open(connectTimeoutMillis);
            }
            inUse.add(c);
            try {
                c.answered = false;
                c.socket.setSoTimeout(readTimeoutMillis);
                c.out.write(head);
                writer.writeTo(c.out);
                c.out.flush();
                Response r = read(c, maxBody);
                inUse.remove(c);
                if (c.keepAlive && !closed) {
                    giveBack(c);
                } else {
                    c.close();
                }
                return r;
            } catch (IOException | RuntimeException e) {
                inUse.remove(c);
                c.close();
                if (reused && !c.answered && !closed && e instanceof IOException) {
                    // the server closed the kept-alive connection before this request: once more, on a new one
                    reused = false;
                    c = null;
                    continue;
                }
                throw e;
            }
        }
    }

    /** Writes a request body. */
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Closes every connection, in use or idle; requests under way end with an exception. */
    void closeAll() {
        closed = true;
        synchronized (idle) {
            for (Connection c : idle) {
                c.close();
            }
            idle.clear();
        }
        for (Connection c : inUse) {
            c.close();
        }
    }

    private byte[] head(Map<String, List<String>> headers, long length) {
        StringBuilder b = new StringBuilder(256);
        b.append("POST ").append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        boolean userAgent = false;
        if (headers != null) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                String name = h.getKey();
                checkToken(name);
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("host") || lower.equals("content-length") || lower.equals("connection")
                        || lower.equals("transfer-encoding")) {
                    continue; // this client's to set
                }
                userAgent |= lower.equals("user-agent");
                for (String value : h.getValue()) {
                    checkValue(name, value);
                    b.append(name).append(": ").append(value).append("\r\n");
                }
            }
        }
        if (!userAgent) {
            b.append("User-Agent: obs\r\n");
        }
        b.append("Content-Length: ").append(length).append("\r\n\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void checkToken(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch >= 0x7F || ch == ':') {
                throw new IllegalArgumentException("invalid character in header name '" + name + "'");
            }
        }
    }

    private static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < ' ' && ch != '\t' || ch == 0x7F || ch > 0xFF) {
                throw new IllegalArgumentException("invalid character in the value of header '" + name + "'");
            }
        }
    }

    private Connection takeIdle() {
        synchronized (idle) {
            return idle.pollLast();
        }
    }

    private void giveBack(Connection c) {
        synchronized (idle) {
            idle.addLast(c);
        }
        if (closed) {
            closeAll();
        }
    }

    private Connection open(int connectTimeoutMillis) throws IOException {
        if (closed) {
            throw new IOException("sender shut down");
        }
        Socket s = new Socket(Proxy.NO_PROXY);
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            return new Connection(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Reads one response (after any 1xx), its body to the end; the connection is then ready or closed. */
    private static Response read(Connection c, int maxBody) throws IOException {
        while (true) {
            String statusLine = c.line(true);
            // HTTP/1.x SP 3DIGIT [SP reason]
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
                throw new IOException("not an HTTP/1.x response: " + printable(statusLine));
            }
            int status = parseStatus(statusLine);
            String message = statusLine.length() > 13 ? statusLine.substring(13) : "";
            boolean http10 = statusLine.charAt(7) == '0';
            long contentLength = -1;
            boolean chunked = false;
            boolean close = http10;
            for (String line = c.line(false); !line.isEmpty(); line = c.line(false)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + printable(value));
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equals("connection")) {
                    String v = value.toLowerCase(Locale.ROOT);
                    close = v.contains("close") || http10 && !v.contains("keep-alive");
                }
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue and the like: the real response follows
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean whole;
            if (status == 204 || status == 304) {
                whole = true;
            } else if (chunked) {
                whole = readChunked(c, body, maxBody);
            } else if (contentLength >= 0) {
                whole = copy(c.in, body, contentLength, maxBody);
            } else {
                copy(c.in, body, Long.MAX_VALUE, maxBody);
                whole = false; // read to the close
            }
            c.keepAlive = whole && !close;
            return new Response(status, message, body.toByteArray());
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char d = statusLine.charAt(i);
            if (d < '0' || d > '9') {
                throw new IOException("bad status line: " + printable(statusLine));
            }
            status = status * 10 + d - '0';
        }
        return status;
    }

    /** Copies {@code length} bytes (to the end when MAX_VALUE), keeping {@code max}; false when it stopped early. */
    private static boolean copy(InputStream in, ByteArrayOutputStream out, long length, int max) throws IOException {
        byte[] buf = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    return true;
                }
                throw new EOFException("response ended " + left + " bytes early");
            }
            int keep = Math.max(0, Math.min(n, max - out.size()));
            out.write(buf, 0, keep);
            left -= n;
            if (keep < n && length == Long.MAX_VALUE) {
                return false; // a body without a length, beyond the bound: the connection is not reused
            }
        }
        return true;
    }

    private static boolean readChunked(Connection c, ByteArrayOutputStream out, int max) throws IOException {
        while (true) {
            String size = c.line(false);
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + printable(size));
            }
            if (n == 0) {
                for (String trailer = c.line(false); !trailer.isEmpty(); trailer = c.line(false)) {
                    // trailers are not used
                }
                return true;
            }
            copy(c.in, out, n, max);
            if (!c.line(false).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char ch = cut.charAt(i);
            b.append(ch >= ' ' && ch < 0x7F ? ch : '?');
        }
        return b.toString();
    }

    private static final class Connection {
        final Socket socket;
        final OutputStream out;
        final InputStream in;
        boolean keepAlive;
        /** A byte of a response came on this connection (a request that fails after that is not sent again). */
        boolean answered;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        }

        /**
         * One line without its CRLF (a lone LF ends it too). {@code first}: an end of stream before any byte is
         * the server having closed the connection.
         */
        String line(boolean first) throws IOException {
            StringBuilder b = new StringBuilder(64);
            while (true) {
                int ch = in.read();
                if (ch < 0) {
                    throw new EOFException(first && b.length() == 0 ? "connection closed by the server"
                            : "response ended in its head");
                }
                answered = true;
                if (ch == '\n') {
                    int end = b.length();
                    if (end > 0 && b.charAt(end - 1) == '\r') {
                        b.setLength(end - 1);
                    }
                    return b.toString();
                }
                if (b.length() >= MAX_HEAD_BYTES) {
                    throw new IOException("response head too long");
                }
                b.append((char) ch);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
