package dev.headroom.telemetry.prometheus;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code /metrics} over HTTP through the Prometheus client's own server, with an optional bearer token or basic
 * authentication (compared in constant time).
 */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    /**
     * @param token bearer token, or null
     * @param basic "user:password", or null
     */
    public MetricsServer(DcgmMetrics metrics, String host, int port, String token, String basic) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(metrics);
        HTTPServer.Builder builder = HTTPServer.builder().hostname(host).port(port).registry(registry);
        if (token != null) {
            builder.authenticator(new Bearer(token));
        } else if (basic != null) {
            int colon = basic.indexOf(':');
            String user = basic.substring(0, colon);
            String password = basic.substring(colon + 1);
            builder.authenticator(new BasicAuthenticator("headroom") {
                @Override
                public boolean checkCredentials(String u, String p) {
                    return same(user, u) & same(password, p);
                }
            });
        }
        server = builder.buildAndStart();
    }

    /** The port it listens on (the one asked for, or the one the system chose for port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
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
            if (header != null && header.startsWith("Bearer ") && same(token, header.substring(7).trim())) {
                return new Success(new HttpPrincipal("prometheus", "headroom"));
            }
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"headroom\"");
            return new Failure(401);
        }
    }
}
