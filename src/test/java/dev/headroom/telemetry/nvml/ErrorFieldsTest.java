package dev.headroom.telemetry.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.telemetry.AlertEngine;
import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.prometheus.DcgmMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HBM temperature (nvmlDeviceGetFieldValues), PCIe replays and remapped rows through the real binding on the fake
 * library: values in their units, NOT_SUPPORTED left out of /metrics as dcgm-exporter does, and a row-remapping
 * failure raising the default alert.
 */
class ErrorFieldsTest {
    @AfterEach
    void reset() {
        FakeNvml.reset();
    }

    @Test
    void healthFieldsReadAndServeUnderDcgmNames() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario("error-fields.scenario"));
        fake.fakeNvmlSetTick(1);
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            Snapshot snapshot = source.sample(false);
            GpuReading h100 = snapshot.gpus().get(0);
            assertThat(h100.value(Metric.MEMORY_TEMPERATURE)).isEqualTo(52);
            assertThat(h100.value(Metric.PCIE_REPLAYS)).isEqualTo(3);
            assertThat(h100.value(Metric.REMAPPED_ROWS_CORRECTABLE)).isEqualTo(2);
            assertThat(h100.value(Metric.REMAPPED_ROWS_UNCORRECTABLE)).isEqualTo(1);
            assertThat(h100.value(Metric.ROW_REMAP_FAILURE)).isZero();
            GpuReading rtx = snapshot.gpus().get(1);
            assertThat(rtx.status(Metric.MEMORY_TEMPERATURE)).isEqualTo(MetricStatus.NOT_SUPPORTED);
            assertThat(rtx.status(Metric.REMAPPED_ROWS_CORRECTABLE)).isEqualTo(MetricStatus.NOT_SUPPORTED);
            assertThat(rtx.status(Metric.ROW_REMAP_FAILURE)).isEqualTo(MetricStatus.NOT_SUPPORTED);
            assertThat(rtx.value(Metric.PCIE_REPLAYS)).isZero();

            DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1");
            metrics.update(snapshot);
            String body = new String(metrics.text(), StandardCharsets.UTF_8);
            assertThat(body).contains("# HELP DCGM_FI_DEV_MEMORY_TEMP Memory temperature (in C).")
                    .contains("# HELP DCGM_FI_DEV_PCIE_REPLAY_COUNTER Total number of PCIe retries.");
            assertThat(series(body, "DCGM_FI_DEV_MEMORY_TEMP")).singleElement().satisfies(line ->
                    assertThat(line).contains("gpu=\"0\"").endsWith(" 52.0"));
            assertThat(series(body, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER")).hasSize(2);
            assertThat(series(body, "DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS")).singleElement()
                    .satisfies(line -> assertThat(line).endsWith(" 1.0"));
            assertThat(series(body, "DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS")).hasSize(1);
            assertThat(series(body, "DCGM_FI_DEV_ROW_REMAP_FAILURE")).hasSize(1);
        }
    }

    @Test
    void aRowRemappingFailureRaisesTheDefaultAlert() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario("error-fields.scenario"));
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            AlertEngine alerts = new AlertEngine(AlertRule.defaults(), gpus);
            fake.fakeNvmlSetTick(1);
            assertThat(alerts.evaluate(source.sample(false))).noneMatch(e -> e.ruleId().equals("row-remap-failure"));
            fake.fakeNvmlSetTick(2);
            List<AlertEvent> raised = alerts.evaluate(source.sample(false));
            assertThat(raised).anySatisfy(e -> {
                assertThat(e.ruleId()).isEqualTo("row-remap-failure");
                assertThat(e.gpu()).isZero();
                assertThat(e.raised()).isTrue();
            });
        }
    }

    private static List<String> series(String body, String name) {
        return body.lines().filter(l -> l.startsWith(name + "{")).toList();
    }
}
