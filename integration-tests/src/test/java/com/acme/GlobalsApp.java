package com.acme;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.logging.LogManager;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import javax.net.SocketFactory;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A program that configures one of the JDK's global settings late, the way application servers and logging
 * bridges do: {@code GlobalsApp <global> <go-file>} first writes a file (so obs's exporter starts), prints
 * {@value #READY}, waits until {@code <go-file>} exists ({@code -} for not at all), then sets {@code <global>}
 * and prints {@code obs-globals: <global>=<what it got>}. Each global's value is what the program set
 * whenever nobody fixed that global before it: see {@code JdkGlobalsTest} for the values expected.
 */
public final class GlobalsApp {
    public static final String READY = "obs-globals: ready";
    /**
     * Followed by the URIs, other than the program's own, that the program's cookie handler, proxy selector or
     * URL stream handler was asked for after it was set: obs's exports, which must not use them (OkHttp's
     * sockets, obs's gRPC transport, still ask the program's ProxySelector: see README).
     */
    public static final String ALSO_ASKED = "obs-globals: also asked for ";

    private GlobalsApp() {
    }

    public static void main(String[] args) throws Exception {
        // a fixed name in the working directory: createTempFile's random name would set up the security providers
        Path marker = Path.of("obs-globals-marker.txt");
        Files.writeString(marker, "a record, so that obs's exporter starts");
        System.out.println(READY);
        System.out.flush();
        if (!"-".equals(args[1])) {
            Path go = Path.of(args[1]);
            long end = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(go) && System.nanoTime() < end) {
                Thread.sleep(20);
            }
        }
        String got = switch (args[0]) {
            case "log-manager" -> logManager();
            case "mbean-server-builder" -> mbeanServerBuilder();
            case "url-stream-handler-factory" -> urlStreamHandlerFactory();
            case "authenticator" -> authenticator();
            case "proxy-selector" -> proxySelector();
            case "cookie-handler" -> cookieHandler();
            case "ssl-context" -> sslContext();
            case "security" -> security();
            case "security-properties-file" -> securityPropertiesFile(Path.of("obs-globals.security"));
            case "time-zone" -> timeZone();
            default -> throw new IllegalArgumentException(args[0]);
        };
        Files.deleteIfExists(marker);
        System.out.println("obs-globals: " + args[0] + "=" + got);
    }

    /** JBoss Modules, WildFly, log4j-jul: the property is set in main, before the first logger. */
    private static String logManager() {
        System.setProperty("java.util.logging.manager", ProgramLogManager.class.getName());
        return LogManager.getLogManager().getClass().getName();
    }

    public static final class ProgramLogManager extends LogManager {
    }

    private static String mbeanServerBuilder() {
        System.setProperty("javax.management.builder.initial", ProgramMBeanServerBuilder.class.getName());
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return (ProgramMBeanServerBuilder.built ? "program's builder" : "another builder") + " built "
                + (server.isRegistered(javax.management.ObjectName.WILDCARD) ? "a server" : "an empty server");
    }

    public static final class ProgramMBeanServerBuilder extends MBeanServerBuilder {
        static volatile boolean built;

        @Override
        public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
            built = true;
            return super.newMBeanServer(defaultDomain, outer, delegate);
        }
    }

    /** Tomcat, Spring Boot's nested jars: a factory installed once, which must then serve http too. */
    private static String urlStreamHandlerFactory() throws IOException {
        URL.setURLStreamHandlerFactory(protocol -> "http".equals(protocol) || "obs-test".equals(protocol)
                ? new ProgramHandler() : null);
        URLConnection http = new URL("http://127.0.0.1:9/").openConnection();
        URLConnection own = new URL("obs-test://somewhere/").openConnection();
        // obs's exports after this point must not go through the program's handler
        sleepOverExports();
        List<URI> others = new ArrayList<>(ProgramHandler.OPENED);
        others.removeIf(uri -> uri.equals(URI.create("http://127.0.0.1:9/")) || "obs-test".equals(uri.getScheme()));
        System.out.println(ALSO_ASKED + others);
        return "http by " + http.getClass().getSimpleName() + ", obs-test by " + own.getClass().getSimpleName();
    }

    static final class ProgramHandler extends URLStreamHandler {
        static final List<URI> OPENED = Collections.synchronizedList(new ArrayList<>());

        @Override
        protected URLConnection openConnection(URL u) {
            OPENED.add(URI.create(u.toString()));
            return new ProgramConnection(u);
        }

        @Override
        protected URLConnection openConnection(URL u, Proxy p) {
            return openConnection(u);
        }
    }

    static final class ProgramConnection extends URLConnection {
        ProgramConnection(URL url) {
            super(url);
        }

        @Override
        public void connect() {
        }
    }

    private static String authenticator() throws IOException {
        Authenticator program = new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("program", "secret".toCharArray());
            }
        };
        Authenticator.setDefault(program);
        HttpServer server = localServer();
        server.createContext("/", exchange -> reply(exchange, "authenticated"))
                .setAuthenticator(new BasicAuthenticator("globals") {
                    @Override
                    public boolean checkCredentials(String user, String password) {
                        return "program".equals(user) && "secret".equals(password);
                    }
                });
        try {
            return (Authenticator.getDefault() == program ? "program's" : "another")
                    + " authenticator, request " + get(server, "/");
        } finally {
            server.stop(0);
        }
    }

    private static String proxySelector() throws IOException {
        HttpServer server = localServer();
        server.createContext("/", exchange -> reply(exchange, "direct"));
        List<URI> asked = Collections.synchronizedList(new ArrayList<>());
        ProxySelector program = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        };
        ProxySelector.setDefault(program);
        try {
            String response = get(server, "/");
            boolean askedForProgram = asked.contains(URI.create(base(server) + "/"));
            // obs's exports after this point go where obs was told, not through the program's proxies
            sleepOverExports();
            List<URI> others = new ArrayList<>(asked);
            others.removeIf(uri -> uri.getPort() == server.getAddress().getPort());
            System.out.println(ALSO_ASKED + others);
            return (ProxySelector.getDefault() == program ? "program's" : "another") + " selector, request "
                    + response + (askedForProgram ? " asked the program's" : "");
        } finally {
            server.stop(0);
        }
    }

    private static String cookieHandler() throws IOException {
        HttpServer server = localServer();
        server.createContext("/", exchange -> reply(exchange,
                "obs-globals=program".equals(exchange.getRequestHeaders().getFirst("Cookie")) ? "with cookie"
                        : "without cookie"));
        List<URI> asked = Collections.synchronizedList(new ArrayList<>());
        CookieHandler program = new CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
                asked.add(uri);
                return Map.of("Cookie", List.of("obs-globals=program"));
            }

            @Override
            public void put(URI uri, Map<String, List<String>> responseHeaders) {
            }
        };
        CookieHandler.setDefault(program);
        try {
            String response = get(server, "/");
            // obs's exports after this point must not take the program's cookies to the collector
            sleepOverExports();
            List<URI> others = new ArrayList<>(asked);
            others.removeIf(uri -> uri.getPort() == server.getAddress().getPort());
            System.out.println(ALSO_ASKED + others);
            return (CookieHandler.getDefault() == program ? "program's" : "another") + " handler, request "
                    + response;
        } finally {
            server.stop(0);
        }
    }

    private static String sslContext() {
        Provider provider = new Provider("ProgramTLS", "1", "the program's TLS") {
        };
        SSLContext program = new SSLContext(new ProgramSslContextSpi(), provider, "TLS") {
        };
        SSLContext.setDefault(program);
        SocketFactory factory = SSLSocketFactory.getDefault();
        SSLSocketFactory https = HttpsURLConnection.getDefaultSSLSocketFactory();
        return "SSLSocketFactory " + factory.getClass().getSimpleName() + ", HttpsURLConnection "
                + https.getClass().getSimpleName();
    }

    static final class ProgramSocketFactory extends SSLSocketFactory {
        @Override
        public String[] getDefaultCipherSuites() {
            return new String[0];
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return new String[0];
        }

        @Override
        public java.net.Socket createSocket(java.net.Socket s, String host, int port, boolean autoClose) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }

    static final class ProgramSslContextSpi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new ProgramSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new UnsupportedOperationException();
        }
    }

    private static String security() {
        Security.insertProviderAt(new Provider("ProgramProvider", "1", "the program's provider") {
        }, 1);
        return "first provider " + Security.getProviders()[0].getName();
    }

    /**
     * {@code java.security.properties} is read once, when the security properties are first needed. Not in
     * {@code JdkGlobalsTest}: on Java 17 any {@code ManagementFactory} MXBean lookup reads them (its
     * {@code FilePermission}), on Java 25 OkHttp's platform check ({@code Security.getProviders}) for gRPC.
     */
    private static String securityPropertiesFile(Path file) throws IOException {
        Files.writeString(file, "obs.globals.late=program\n");
        System.setProperty("java.security.properties", file.toString());
        String got = "property " + Security.getProperty("obs.globals.late");
        Files.deleteIfExists(file);
        return got;
    }

    private static String timeZone() {
        System.setProperty("user.timezone", "Pacific/Chatham");
        return TimeZone.getDefault().getID();
    }

    /** Longer than two metric export intervals of the tests (otel.metric.export.interval=500ms). */
    private static void sleepOverExports() {
        try {
            Thread.sleep(1200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpServer localServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.start();
        return server;
    }

    private static String base(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static String get(HttpServer server, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(base(server) + path).openConnection();
        try (InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream()) {
            return c.getResponseCode() + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
