package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.nvml.FakeNvmlAccess;
import dev.headroom.telemetry.nvml.NvmlSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /metrics scraped over HTTP from the real NVML binding on the fake library, read against what the fake reported. */
class DcgmMetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void reset() {
        FakeNvmlAccess.reset();
    }

    private HttpResponse<String> get(int port, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesDcgmExporterNamesUnitsAndLabels() throws Exception {
        FakeNvmlAccess.use("two-h100.scenario", 0);
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            Snapshot snapshot = source.sample(false);
            DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1");
            metrics.update(snapshot);
            try (MetricsServer server = new MetricsServer(metrics, "127.0.0.1", 0, null, null)) {
                String body = get(server.port(), null).body();
                GpuInfo h100 = gpus.get(0);
                String labels = String.format("{UUID=\"%s\",device=\"nvidia0\",gpu=\"0\",hostname=\"node-1\","
                        + "modelName=\"%s\",pci_bus_id=\"%s\"}", h100.uuid(), h100.name(), h100.pciBusId());
                var reading = snapshot.gpus().get(0);
                assertThat(body).contains("# TYPE DCGM_FI_DEV_GPU_UTIL gauge")
                        .contains("DCGM_FI_DEV_GPU_UTIL" + labels + " " + number(reading.value(Metric.UTILIZATION_GPU)))
                        .contains("DCGM_FI_DEV_FB_USED" + labels + " "
                                + number(reading.value(Metric.MEMORY_USED) / (1 << 20)))
                        .contains("DCGM_FI_DEV_POWER_USAGE" + labels + " " + number(reading.value(Metric.POWER)))
                        .contains("DCGM_FI_DEV_GPU_TEMP" + labels + " " + number(reading.value(Metric.TEMPERATURE)))
                        .contains("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION" + labels + " "
                                + number(reading.value(Metric.ENERGY) * 1000));
                // free = total - used - reserved, in MiB (dcgm-exporter's FB_FREE)
                double free = (reading.value(Metric.MEMORY_TOTAL) - reading.value(Metric.MEMORY_USED)
                        - reading.value(Metric.MEMORY_RESERVED)) / (1 << 20);
                assertThat(body).contains("DCGM_FI_DEV_FB_FREE" + labels + " " + number(free));
                assertThat(body).contains("gpu=\"1\""); // the second GPU too
            }
        }
    }

    /** dcgm-exporter 4.x's labels: the driver version on every series, and the host as hostname or Hostname. */
    @Test
    void theDriverVersionLabelAndEitherHostnameSpelling() {
        FakeNvmlAccess.use("two-h100.scenario", 0);
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            assertThat(source.driverVersion()).isEqualTo("550.54.15");
            Snapshot snapshot = source.sample(false);
            DcgmMetrics current = new DcgmMetrics(gpus, "node-1", DcgmMetrics.HOSTNAME_LABEL, source.driverVersion());
            current.update(snapshot);
            String body = new String(current.text(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(body.lines().filter(l -> l.startsWith("DCGM_FI_DEV_GPU_UTIL{")))
                    .hasSize(2).allSatisfy(l -> assertThat(l).contains("DCGM_FI_DRIVER_VERSION=\"550.54.15\"")
                            .contains("hostname=\"node-1\""));
            DcgmMetrics older = new DcgmMetrics(gpus, "node-1", DcgmMetrics.OLDER_HOSTNAME_LABEL, null);
            older.update(snapshot);
            String old = new String(older.text(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(old).contains("Hostname=\"node-1\"").doesNotContain("hostname=").doesNotContain("DRIVER_VERSION");
        }
    }

    @Test
    void bearerTokenAndBasicAuthAreEnforced() throws Exception {
        DcgmMetrics metrics = new DcgmMetrics(List.of(), null);
        try (MetricsServer server = new MetricsServer(metrics, "127.0.0.1", 0, "s3cret", null)) {
            assertThat(get(server.port(), null).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "Bearer wrong").statusCode()).isEqualTo(401);
            assertThat(get(server.port(), "Bearer s3cret").statusCode()).isEqualTo(200);
        }
        try (MetricsServer server = new MetricsServer(metrics, "127.0.0.1", 0, null, "prom:pa:ss")) {
            String good = "Basic " + Base64.getEncoder().encodeToString("prom:pa:ss".getBytes());
            String bad = "Basic " + Base64.getEncoder().encodeToString("prom:nope".getBytes());
            assertThat(get(server.port(), null).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), bad).statusCode()).isEqualTo(401);
            assertThat(get(server.port(), good).statusCode()).isEqualTo(200);
        }
    }

    /** How the Prometheus text format writes a double: 99.0, 36864.0, 1.23E9. */
    private static String number(double value) {
        return Double.toString(value).toUpperCase(Locale.ROOT);
    }
}
