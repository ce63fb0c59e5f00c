package dev.headroom.telemetry.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.telemetry.AlertEngine;
import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuProcess;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.MigInstance;
import dev.headroom.telemetry.ProcessTable;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.prometheus.DcgmMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's calls through the real binding on the fake library (dcgm-parity.scenario): GPM ratios, XID events,
 * NVLink traffic, the temperature margin, every fan, MIG instances, per-process SM share, each in its unit and
 * left out where the GPU answers NOT_SUPPORTED; and a GPU that is lost, and a driver that goes away, coming back.
 */
class DcgmParityTest {
    private static final double GIB = 1 << 30;
    private final AtomicLong clock = new AtomicLong(1_000_000);

    @TempDir
    Path folder;

    @AfterEach
    void reset() {
        FakeNvml.reset();
    }

    private static FakeNvml.Control fake(String scenario, int tick) {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario(scenario));
        fake.fakeNvmlSetTick(tick);
        return fake;
    }

    /** Processes named from a fixed table, so the machine's own /proc cannot change a label. */
    private NvmlSource source() {
        return new NvmlSource(new ProcessTable() {
            @Override
            public Entry lookup(int pid) {
                return new Entry("python3", "alice", "0123456789ab", "5f1c2d3e-0000-4000-8000-00000000abcd");
            }
        }, clock::get);
    }

    @Test
    void gpmRatiosNvlinkMarginAndFansInTheirUnitsAndLeftOutWhereUnsupported() {
        FakeNvml.Control fake = fake("dcgm-parity.scenario", 1);
        try (NvmlSource source = source()) {
            List<GpuInfo> gpus = source.open();
            fake.fakeNvmlSetTick(2);
            Snapshot snapshot = source.sample(false);
            GpuReading h100 = snapshot.gpus().get(0);
            // GPM: the fake's percentages at tick 2 follow util 100 % and memory util 40 %; NVML's % become ratios
            assertThat(h100.value(Metric.GR_ENGINE_ACTIVE)).isEqualTo(1.0);
            assertThat(h100.value(Metric.SM_ACTIVE)).isEqualTo(0.9);
            assertThat(h100.value(Metric.SM_OCCUPANCY)).isEqualTo(0.5);
            assertThat(h100.value(Metric.TENSOR_ACTIVE)).isEqualTo(0.6);
            assertThat(h100.value(Metric.DRAM_ACTIVE)).isEqualTo(0.4);
            // 18 links, each 2 GiB sent and 1 GiB received by tick 2 (KiB counters, converted to bytes)
            assertThat(h100.value(Metric.NVLINK_BYTES)).isEqualTo(18 * 3 * GIB);
            assertThat(h100.value(Metric.TEMPERATURE_MARGIN)).isEqualTo(89 - 60); // slowdown 89 °C, at 60 °C
            assertThat(h100.status(Metric.FAN)).isEqualTo(MetricStatus.NOT_SUPPORTED);

            GpuReading rtx = snapshot.gpus().get(1);
            for (Metric m : new Metric[] {Metric.GR_ENGINE_ACTIVE, Metric.TENSOR_ACTIVE, Metric.NVLINK_BYTES,
                Metric.TEMPERATURE_MARGIN, Metric.XID, Metric.XID_EVENTS}) {
                assertThat(rtx.status(m)).as(m.key()).isEqualTo(MetricStatus.NOT_SUPPORTED);
            }
            assertThat(rtx.value(Metric.FAN)).isEqualTo(47.5); // the mean of 40 % and 55 %
            assertThat(rtx.fanSpeeds()).containsExactly(40, 55);
            assertThat(rtx.migInstances()).containsExactly(new MigInstance(1, "3g.12gb", 12L << 30, 1L << 30),
                    new MigInstance(2, "1g.6gb", 6L << 30, 0));

            DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1");
            metrics.update(snapshot);
            String body = text(metrics);
            assertThat(series(body, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE")).singleElement()
                    .satisfies(line -> assertThat(line).contains("gpu=\"0\"").endsWith(" 0.6"));
            assertThat(series(body, "DCGM_FI_PROF_GR_ENGINE_ACTIVE")).hasSize(1);
            assertThat(series(body, "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL")).hasSize(1);
            assertThat(body).contains("# TYPE DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL counter\n")
                    .contains("# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n")
                    .contains("# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n").doesNotContain("_total ");
            assertThat(series(body, "headroom_fan_speed_percent")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains("fan=\"1\"").endsWith(" 55.0"));
            assertThat(series(body, "headroom_gpu_temperature_margin_celsius")).singleElement()
                    .satisfies(line -> assertThat(line).endsWith(" 29.0"));
            assertThat(series(body, "DCGM_FI_DEV_FB_USED")).filteredOn(line -> line.contains("GPU_I_ID=\"1\""))
                    .singleElement().satisfies(line -> assertThat(line).contains("GPU_I_PROFILE=\"3g.12gb\"")
                            .endsWith(" 1024.0"));
        }
    }

    @Test
    void anXidArrivesThroughTheEventSetAndOneThatNeedsActionRaisesTheAlert() {
        FakeNvml.Control fake = fake("dcgm-parity.scenario", 1);
        try (NvmlSource source = source()) {
            List<GpuInfo> gpus = source.open();
            AlertEngine alerts = new AlertEngine(AlertRule.defaults(), gpus);
            Snapshot quiet = source.sample(false);
            assertThat(quiet.gpus().get(0).value(Metric.XID)).isZero();
            assertThat(alerts.evaluate(quiet)).isEmpty();

            fake.fakeNvmlSetTick(2); // XID 31: an application's page fault, no action on the GPU
            Snapshot pageFault = source.sample(false);
            assertThat(pageFault.gpus().get(0).value(Metric.XID)).isEqualTo(31);
            assertThat(pageFault.gpus().get(0).value(Metric.XID_EVENTS)).isEqualTo(1);
            assertThat(alerts.evaluate(pageFault)).noneMatch(e -> e.ruleId().equals("xid-needs-action"));
            DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1");
            metrics.update(pageFault);
            assertThat(series(text(metrics), "DCGM_FI_DEV_XID_ERRORS")).singleElement().satisfies(line ->
                    assertThat(line).contains("err_code=\"31\"").contains("err_msg=\"GPU memory page fault\"")
                            .endsWith(" 31.0"));

            fake.fakeNvmlSetTick(3); // XID 79, fallen off the bus, then 13 in the same tick: 79 is the one kept
            Snapshot fallen = source.sample(false);
            assertThat(fallen.gpus().get(0).value(Metric.XID)).isEqualTo(79);
            assertThat(fallen.gpus().get(0).value(Metric.XID_EVENTS)).isEqualTo(3);
            List<AlertEvent> raised = alerts.evaluate(fallen);
            assertThat(raised).filteredOn(e -> e.ruleId().equals("xid-needs-action")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.gpu()).isZero();
                        assertThat(e.raised()).isTrue();
                        assertThat(e.detail()).isEqualTo("XID 79: GPU has fallen off the bus");
                    });
        }
    }

    @Test
    void perProcessSeriesAppearAndDisappearWithTheProcessesUnderTheCap() {
        FakeNvml.Control fake = fake("dcgm-parity.scenario", 1);
        try (NvmlSource source = source()) {
            List<GpuInfo> gpus = source.open();
            Snapshot both = source.sample(true);
            assertThat(both.gpus().get(0).processes()).extracting(GpuProcess::pid, GpuProcess::kind,
                    GpuProcess::smUtilization).containsExactly(org.assertj.core.groups.Tuple.tuple(4242, "compute", 77.0),
                            org.assertj.core.groups.Tuple.tuple(4343, "compute", 10.0),
                            org.assertj.core.groups.Tuple.tuple(4242, "graphics", 77.0));
            DcgmMetrics metrics = new DcgmMetrics(gpus, "node-1").processMetrics(10);
            metrics.update(both);
            String body = text(metrics);
            assertThat(series(body, "headroom_process_gpu_memory_bytes")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).contains("pid=\"4242\"").contains("process=\"python3\"")
                            .contains("user=\"alice\"").contains("container=\"0123456789ab\"")
                            .contains("pod=\"5f1c2d3e-0000-4000-8000-00000000abcd\"")
                            .endsWith(" 3.5433480192E10")); // one series: 32 GiB of compute and 1 GiB of graphics
            assertThat(series(body, "headroom_process_sm_utilization"))
                    .anySatisfy(line -> assertThat(line).contains("pid=\"4242\"").endsWith(" 0.77"));

            fake.fakeNvmlSetTick(3); // pid 4343 has ended
            metrics.update(source.sample(true));
            assertThat(series(text(metrics), "headroom_process_gpu_memory_bytes")).singleElement()
                    .satisfies(line -> assertThat(line).contains("pid=\"4242\""));

            DcgmMetrics capped = new DcgmMetrics(gpus, "node-1").processMetrics(1);
            capped.update(both);
            String cappedBody = text(capped);
            assertThat(series(cappedBody, "headroom_process_gpu_memory_bytes")).singleElement()
                    .satisfies(line -> assertThat(line).contains("pid=\"4242\"")); // the larger is kept
            assertThat(series(cappedBody, "headroom_process_series_dropped")).singleElement()
                    .satisfies(line -> assertThat(line).endsWith(" 1.0"));
            DcgmMetrics off = new DcgmMetrics(gpus, "node-1");
            off.update(both);
            assertThat(text(off)).doesNotContain("headroom_process");
        }
    }

    @Test
    void aLostGpuIsRetriedAtABackoffAndRecovers() {
        FakeNvml.Control fake = fake("dcgm-parity.scenario", 4);
        try (NvmlSource source = source()) {
            List<GpuInfo> gpus = source.open();
            AlertEngine alerts = new AlertEngine(AlertRule.defaults(), gpus);
            alerts.evaluate(source.sample(false));
            fake.fakeNvmlSetTick(5);
            Snapshot lost = source.sample(false);
            assertThat(lost.gpus().get(0).state()).isEqualTo(MetricStatus.GPU_LOST);
            assertThat(alerts.evaluate(lost)).anyMatch(e -> e.ruleId().equals("gpu-lost") && e.raised());
            long callsWhenLost = fake.fakeNvmlCallCount("lost:0");

            fake.fakeNvmlSetTick(6);
            clock.addAndGet(1000); // first retry: the GPU still answers lost to a fresh handle
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.GPU_LOST);
            fake.fakeNvmlSetTick(7); // it is back, but the next retry waits 2 s
            clock.addAndGet(1000);
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.GPU_LOST);
            assertThat(fake.fakeNvmlCallCount("lost:0")).as("the old handle is never used").isEqualTo(callsWhenLost);
            clock.addAndGet(1000);
            Snapshot back = source.sample(false);
            assertThat(back.gpus().get(0).state()).isEqualTo(MetricStatus.OK);
            assertThat(back.gpus().get(0).value(Metric.TEMPERATURE)).isEqualTo(86);
            assertThat(source.recoveries()).isEqualTo(1);
            assertThat(alerts.evaluate(back)).filteredOn(e -> e.ruleId().equals("gpu-lost")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.raised()).isFalse();
                        assertThat(e.detail()).startsWith("recovered");
                    });
            assertThat(back.gpus().get(1).state()).isEqualTo(MetricStatus.OK); // the other GPU never stopped
        }
    }

    @Test
    void aDriverThatGoesAwayIsReinitialisedAndTheGpusComeBack() throws Exception {
        Path scenario = folder.resolve("driver-gone.scenario");
        Files.writeString(scenario, "gpus 1\ngpu 0 series temp 40 41 42 43 44 45\ndriver_gone 2 4\n");
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), scenario);
        fake.fakeNvmlSetTick(1);
        try (NvmlSource source = source()) {
            source.open();
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.OK);
            fake.fakeNvmlSetTick(2);
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.DRIVER_GONE);
            clock.addAndGet(1000);
            fake.fakeNvmlSetTick(3); // still gone: nvmlInit answers DRIVER_NOT_LOADED, the next try waits 2 s
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.DRIVER_GONE);
            fake.fakeNvmlSetTick(4);
            clock.addAndGet(1000);
            assertThat(source.sample(false).gpus().get(0).state()).isEqualTo(MetricStatus.DRIVER_GONE);
            clock.addAndGet(1000);
            GpuReading back = source.sample(false).gpus().get(0);
            assertThat(back.state()).isEqualTo(MetricStatus.OK);
            assertThat(back.value(Metric.TEMPERATURE)).isEqualTo(44);
            assertThat(source.recoveries()).isEqualTo(1);
        }
    }

    private static String text(DcgmMetrics metrics) {
        return new String(metrics.text(), StandardCharsets.UTF_8);
    }

    private static List<String> series(String body, String name) {
        return body.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " ")).toList();
    }
}
