package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Prometheus source against a stand-in HTTP server: answers, errors, garbage, silence and a closed port. */
class PrometheusSourceTest {
    private static final String VECTOR = """
            {"status":"success","data":{"resultType":"vector","result":[
             {"metric":{"__name__":"DCGM_FI_DEV_FB_USED","gpu":"1","hostname":"b","modelName":"NVIDIA H100","UUID":"GPU-b1"},"value":[1,"2048"]},
             {"metric":{"__name__":"DCGM_FI_DEV_FB_USED","gpu":"0","hostname":"a","modelName":"NVIDIA L4","UUID":"GPU-a0"},"value":[1,"1024"]},
             {"metric":{"__name__":"DCGM_FI_DEV_FB_FREE","gpu":"0","hostname":"a"},"value":[1,"21504"]},
             {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"0","hostname":"a"},"value":[1,"87"]},
             {"metric":{"__name__":"DCGM_FI_DEV_POWER_USAGE","gpu":"0","hostname":"a"},"value":[1,"61.5"]},
             {"metric":{"__name__":"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION","gpu":"0","hostname":"a"},"value":[1,"5000"]}
            ]}}""";

    private static final String MATRIX = """
            {"status":"success","data":{"resultType":"matrix","result":[
             {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"0","hostname":"a"},"values":[[100,"10"],[115,"20"]]},
             {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"1","hostname":"b"},"values":[[100,"30"],[115,"40"]]}
            ]}}""";

    private HttpServer server;
    private final AtomicReference<String> answer = new AtomicReference<>(VECTOR);
    private volatile int status = 200;
    private volatile long delayMillis;

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/query", exchange -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/api/v1/query_range", exchange -> {
            byte[] body = MATRIX.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a slow answer blocks no other
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private PrometheusSource source(URI uri) {
        return new PrometheusSource(uri, null, null, Duration.ofMillis(500));
    }

    @Test
    void listsHostsTimesGpusAndReadsTheirValuesInHeadroomUnits() throws IOException {
        PrometheusSource source = source(start());
        List<GpuInfo> gpus = source.open();
        assertThat(gpus).extracting(GpuInfo::name).containsExactly("a GPU 0: NVIDIA L4", "b GPU 1: NVIDIA H100");
        Snapshot s = source.sample(false);
        var a0 = s.gpus().get(0);
        assertThat(a0.value(Metric.UTILIZATION_GPU)).isEqualTo(87);
        assertThat(a0.value(Metric.MEMORY_USED)).isEqualTo(1024.0 * (1 << 20));
        assertThat(a0.value(Metric.MEMORY_TOTAL)).isEqualTo((1024.0 + 21504) * (1 << 20));
        assertThat(a0.value(Metric.POWER)).isEqualTo(61.5);
        assertThat(a0.value(Metric.ENERGY)).isEqualTo(5.0); // mJ to J
        assertThat(a0.status(Metric.TEMPERATURE)).isEqualTo(MetricStatus.NOT_SUPPORTED);
        assertThat(source.lastError()).isNull();
    }

    @Test
    void downSlowGarbageAndErrorsEachSaySoInOneLine() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThatThrownBy(() -> source(URI.create("http://127.0.0.1:" + closed)).open())
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("not reachable");

        URI uri = start();
        delayMillis = 1500;
        assertThatThrownBy(() -> source(uri).open()).hasMessageContaining("did not answer within 500 ms");
        delayMillis = 0;

        answer.set("<html>502 Bad Gateway</html>");
        status = 502;
        assertThatThrownBy(() -> source(uri).open()).hasMessageContaining("HTTP 502, and the answer is not Prometheus JSON");

        answer.set("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");
        status = 400;
        assertThatThrownBy(() -> source(uri).open()).hasMessageContaining("bad_data: parse error at char 3");

        answer.set("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        status = 200;
        assertThatThrownBy(() -> source(uri).open()).hasMessageContaining("holds no DCGM_FI_DEV_FB_USED series");
    }

    @Test
    void aGpuThatAppearsJoinsAtTheEndAndOneThatGoesIsMarkedLostWithoutAReconnect() throws IOException {
        PrometheusSource source = source(start());
        source.open();
        assertThat(source.gpusChanged()).isNull();
        answer.set(VECTOR.replace("]}}", """
                 ,{"metric":{"__name__":"DCGM_FI_DEV_FB_USED","gpu":"0","hostname":"c","modelName":"NVIDIA H200","UUID":"GPU-c0"},"value":[1,"4096"]}
                ]}}"""));
        Snapshot grown = source.sample(false);
        assertThat(grown.gpus()).hasSize(3);
        assertThat(grown.gpus().get(2).value(Metric.MEMORY_USED)).isEqualTo(4096.0 * (1 << 20));
        assertThat(source.gpusChanged()).extracting(GpuInfo::name)
                .containsExactly("a GPU 0: NVIDIA L4", "b GPU 1: NVIDIA H100", "c GPU 0: NVIDIA H200");
        assertThat(source.gpusChanged()).as("told once").isNull();

        answer.set(VECTOR.replaceAll("(?m)^.*\"hostname\":\"b\".*\\n", "")); // host b is gone
        Snapshot shrunk = source.sample(false);
        assertThat(shrunk.gpus()).hasSize(3);
        assertThat(shrunk.gpus().get(1).state()).isEqualTo(MetricStatus.GPU_LOST);
        assertThat(shrunk.gpus().get(0).state()).isEqualTo(MetricStatus.OK);
        answer.set(VECTOR); // b is back: same index, no new GPU
        assertThat(source.sample(false).gpus().get(1).state()).isEqualTo(MetricStatus.OK);
        assertThat(source.gpusChanged()).isNull();
    }

    @Test
    void aFailingSampleMarksEveryGpuAndKeepsTheReason() throws IOException {
        PrometheusSource source = source(start());
        source.open();
        answer.set("not json");
        Snapshot s = source.sample(false);
        assertThat(s.gpus()).hasSize(2).allSatisfy(r -> assertThat(r.state()).isEqualTo(MetricStatus.ERROR));
        assertThat(source.lastError()).contains("not Prometheus JSON");
        answer.set(VECTOR);
        assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.OK); // it recovers
        assertThat(source.lastError()).isNull();
    }

    @Test
    void historyComesFromARangeQueryOneSnapshotPerStep() throws IOException {
        PrometheusSource source = source(start());
        source.open();
        List<Snapshot> past = source.history(Duration.ofMinutes(5), Duration.ofSeconds(15));
        assertThat(past).extracting(Snapshot::epochMillis).containsExactly(100_000L, 115_000L);
        assertThat(past.get(1).gpus().get(0).value(Metric.UTILIZATION_GPU)).isEqualTo(20);
        assertThat(past.get(1).gpus().get(1).value(Metric.UTILIZATION_GPU)).isEqualTo(40);
    }
}
