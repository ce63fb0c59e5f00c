package dev.headroom.telemetry.prometheus;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /metrics} over HTTP, with an optional bearer token or basic authentication (compared in constant time),
 * on the JDK's HTTP server set up to survive slow, partial and hostile clients:
 * <ul>
 * <li>a client gets {@value #REQUEST_SECONDS} s to send its request and {@value #RESPONSE_SECONDS} s to take the
 * answer, then its connection is closed (the JDK server reads the headers on a worker thread, so without this a few
 * clients that never finish their headers hold every worker);</li>
 * <li>{@value #WORKERS} workers, so a crowd of such clients waits beside the scrapes rather than in front of them;</li>
 * <li>a listen backlog of {@value #BACKLOG}, so concurrent scrapers are not turned away to retry a second later;</li>
 * <li>GET and HEAD only (405 otherwise), {@code /metrics} and a pointer to it on {@code /}, 404 elsewhere;</li>
 * <li>a scraper that hangs up early is nobody's error: nothing is logged;</li>
 * <li>the body is rendered once per sample ({@link DcgmMetrics#text()}), not once per scrape, and written in
 * pieces the JDK server copies without allocating.</li>
 * </ul>
 * The Prometheus client's own HTTPServer has a fixed backlog of 3 and 10 workers, hence this one.
 */
public final class MetricsServer implements AutoCloseable {
    static final int REQUEST_SECONDS = 10;
    static final int RESPONSE_SECONDS = 30;
    static final int WORKERS = 200;
    static final int BACKLOG = 128;
    /**
     * The JDK server copies each write into a buffer of its own, 4 KiB to start with, and allocates a bigger one
     * for a bigger write, on every exchange; writes of 4 KiB take none, a third of all a scrape allocated.
     */
    private static final int WRITE_BYTES = 4096;

    static {
        // The JDK server reads these once, when its first server is created, so they are set before any is; a
        // value given with -D on the command line wins.
        defaultProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        defaultProperty("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
    }

    private static final byte[] INDEX = "Headroom exporter: the metrics are on /metrics\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_FOUND = "404 not found: the metrics are on /metrics\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_ALLOWED = "405 method not allowed: only GET and HEAD\n".getBytes(StandardCharsets.UTF_8);

    private final DcgmMetrics metrics;
    private final HttpServer server;
    private final ThreadPoolExecutor workers;

    /**
     * @param token bearer token, or null
     * @param basic "user:password", or null
     */
    public MetricsServer(DcgmMetrics metrics, String host, int port, String token, String basic) throws IOException {
        this.metrics = metrics;
        AtomicInteger count = new AtomicInteger();
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "headroom-metrics-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        workers.allowCoreThreadTimeOut(true); // idle, it keeps no threads
        server = HttpServer.create(new InetSocketAddress(host, port), BACKLOG);
        server.setExecutor(workers);
        HttpContext context = server.createContext("/metrics", this::metrics);
        if (token != null) {
            context.setAuthenticator(new Bearer(token));
        } else if (basic != null) {
            int colon = basic.indexOf(':');
            String user = basic.substring(0, colon);
            String password = basic.substring(colon + 1);
            context.setAuthenticator(new BasicAuthenticator("headroom") {
                @Override
                public boolean checkCredentials(String u, String p) {
                    return same(user, u) & same(password, p);
                }
            });
        }
        server.createContext("/", MetricsServer::index); // every other path
        server.start();
    }

    /** The port it listens on (the one asked for, or the one the system chose for port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void metrics(HttpExchange exchange) {
        if (!exchange.getRequestURI().getPath().equals("/metrics")) { // the context also matches /metrics/x, /metricsx
            answer(exchange, 404, "text/plain; charset=utf-8", NOT_FOUND);
            return;
        }
        answer(exchange, 200, DcgmMetrics.contentType(), metrics.text());
    }

    private static void index(HttpExchange exchange) {
        boolean root = exchange.getRequestURI().getPath().equals("/");
        answer(exchange, root ? 200 : 404, "text/plain; charset=utf-8", root ? INDEX : NOT_FOUND);
    }

    /** Answers GET and HEAD with this status and body, anything else with 405; a client gone by then is let go. */
    private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                status = 405;
                contentType = "text/plain; charset=utf-8";
                body = NOT_ALLOWED;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            OutputStream out = exchange.getResponseBody();
            for (int at = 0; at < body.length; at += WRITE_BYTES) {
                out.write(body, at, Math.min(WRITE_BYTES, body.length - at));
            }
        } catch (IOException hungUp) {
            // the client closed the connection before the answer was out: nothing anyone can act on
        }
    }

    private static void defaultProperty(String name, int seconds) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, Integer.toString(seconds));
        }
    }

    private static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    /** "Authorization: Bearer TOKEN", as Prometheus sends with {@code authorization: credentials}. */
    private static final class Bearer extends Authenticator {
        private final String token;

        Bearer(String token) {
            this.token = token;
        }

        @Override
        public Result authenticate(HttpExchange exchange) {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && same(token, header.substring(7).trim())) {
                return new Success(new HttpPrincipal("prometheus", "headroom"));
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"headroom\"");
            return new Failure(401);
        }
    }
}
