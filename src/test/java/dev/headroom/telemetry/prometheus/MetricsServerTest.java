package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.SimulatedSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exporter's HTTP edge, spoken to over raw sockets: only GET and HEAD, only /metrics (and a pointer on /),
 * and scrapes answered while a crowd of clients sits on unfinished request headers. The header deadline itself
 * is ExporterProcessTest's, since the JDK reads it once per process.
 */
class MetricsServerTest {
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        SimulatedSource source = SimulatedSource.parse("simulated:h100-training:8");
        List<GpuInfo> gpus = source.open();
        DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1");
        metrics.update(source.sample(false));
        server = new MetricsServer(metrics, "127.0.0.1", 0, "s3cret", null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One request on its own connection; the answer's status line, headers and body as text. */
    private String request(String method, String path, boolean authorized) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + (authorized ? "Authorization: Bearer s3cret\r\n" : "") + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onlyGetAndHeadAreAnsweredAndOthersGet405WithAllow() throws IOException {
        assertThat(request("GET", "/metrics", true)).startsWith("HTTP/1.1 200").contains("DCGM_FI_DEV_GPU_UTIL{");
        String head = request("HEAD", "/metrics", true);
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/plain")
                .doesNotContain("DCGM_FI_DEV_GPU_UTIL");
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"}) {
            String answer = request(method, "/metrics", true);
            assertThat(answer).as(method).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: GET, HEAD")
                    .doesNotContain("DCGM_FI");
        }
        assertThat(request("POST", "/metrics", false)).startsWith("HTTP/1.1 401"); // credentials first
    }

    @Test
    void theBearerSchemeIsCaseInsensitiveAndTheTokenIsNot() throws IOException {
        for (String scheme : new String[] {"bearer", "BEARER", "Bearer"}) {
            assertThat(answer(scheme + " s3cret")).as(scheme).startsWith("HTTP/1.1 200");
        }
        assertThat(answer("Bearer S3CRET")).startsWith("HTTP/1.1 401");
        assertThat(answer("Basic s3cret")).startsWith("HTTP/1.1 401");
    }

    private String answer(String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: "
                    + authorization + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void unknownPathsAre404AndTheRootPointsToMetrics() throws IOException {
        for (String path : new String[] {"/metricsx", "/metrics/x", "/admin", "/favicon.ico", "/-/healthy"}) {
            String answer = request("GET", path, true);
            assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain("DCGM_FI").doesNotContain("<html");
        }
        assertThat(request("GET", "/", false)).startsWith("HTTP/1.1 200").contains("the metrics are on /metrics");
    }

    @Test
    void fiftyClientsWithUnfinishedHeadersDoNotDelayConcurrentScrapes() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ExecutorService scrapers = Executors.newFixedThreadPool(20);
        try {
            for (int i = 0; i < 50; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.add(socket); // no blank line: each holds a worker reading its headers
            }
            List<Future<String>> scrapes = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                scrapes.add(scrapers.submit(() -> request("GET", "/metrics", true)));
            }
            for (Future<String> scrape : scrapes) {
                assertThat(scrape.get()).startsWith("HTTP/1.1 200").contains("DCGM_FI_DEV_FB_USED{");
            }
        } finally {
            scrapers.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void aScraperThatHangsUpEarlyLeavesTheServerServing() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                socket.setSoLinger(true, 0); // a reset, not a polite close
                OutputStream out = socket.getOutputStream();
                out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                in.read();
            }
        }
        assertThat(request("GET", "/metrics", true)).startsWith("HTTP/1.1 200");
    }
}
