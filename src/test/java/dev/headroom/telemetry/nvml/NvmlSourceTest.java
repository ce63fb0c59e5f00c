package dev.headroom.telemetry.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuProcess;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.Sampler;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.telemetry.ThrottleReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real JNA binding against the fake libnvidia-ml.so.1, for values and for every fault. */
class NvmlSourceTest {
    private static final double GIB = 1L << 30;

    @TempDir
    Path folder;

    @AfterEach
    void reset() {
        FakeNvml.reset();
    }

    private Path scenario(String text) throws Exception {
        Path file = folder.resolve("test.scenario");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsValuesInTheirUnitsFromTwoGpus() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario("two-h100.scenario"));
        fake.fakeNvmlSetTick(2);
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            assertThat(source.versions()).isEqualTo("driver 550.54.15, NVML 12.550.54.15, CUDA 12.4");
            assertThat(gpus).extracting(GpuInfo::name).containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA GeForce RTX 4090");
            GpuInfo h100 = gpus.get(0);
            assertThat(h100.memoryTotalBytes()).isEqualTo(85_899_345_920L); // a 64-bit field, above 2^32
            assertThat(h100.pciBusId()).isEqualTo("00000000:18:00.0");
            assertThat(h100.temperatureSlowdownC()).isEqualTo(89);
            assertThat(h100.temperatureShutdownC()).isEqualTo(92);
            assertThat(h100.powerLimitMaxWatts()).isEqualTo(700.0);
            assertThat(h100.eccEnabled()).isTrue();
            assertThat(gpus.get(1).eccEnabled()).isFalse();

            Snapshot snapshot = source.sample(true);
            assertThat(snapshot.simulated()).isFalse();
            GpuReading r = snapshot.gpus().get(0);
            assertThat(r.value(Metric.UTILIZATION_GPU)).isEqualTo(100);
            assertThat(r.value(Metric.MEMORY_USED)).isEqualTo(36 * GIB); // v2: allocated only
            assertThat(r.value(Metric.MEMORY_RESERVED)).isEqualTo(566_231_040);
            assertThat(r.value(Metric.POWER)).isCloseTo(700.0, within(1e-9)); // mW -> W
            assertThat(r.value(Metric.POWER_LIMIT)).isCloseTo(700.0, within(1e-9));
            assertThat(r.value(Metric.PCIE_RX)).isEqualTo(3_400_000 * 1024.0); // KB/s -> bytes/s
            assertThat(r.value(Metric.ENERGY)).isGreaterThan(1e6); // mJ -> J: the fake starts at 1e9 mJ
            assertThat(r.value(Metric.ECC_CORRECTED)).isEqualTo(1);
            assertThat(r.throttleReasons()).containsExactly(ThrottleReason.SW_POWER_CAP, ThrottleReason.HW_THERMAL);
            assertThat(r.status(Metric.FAN)).isEqualTo(MetricStatus.NOT_SUPPORTED); // passively cooled
            assertThat(r.processes()).extracting(GpuProcess::pid, GpuProcess::usedBytes)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(4242, 2L << 30),
                            org.assertj.core.groups.Tuple.tuple(4343, 30L << 30));

            GpuReading rtx = snapshot.gpus().get(1);
            assertThat(rtx.value(Metric.FAN)).isEqualTo(46);
            assertThat(rtx.status(Metric.ECC_UNCORRECTED)).isEqualTo(MetricStatus.NOT_SUPPORTED);
            assertThat(rtx.processes()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo("graphics");
                assertThat(p.usedBytes()).isEqualTo(512L << 20);
            });
        }
    }

    @Test
    void anUnsupportedMetricIsAStatusAndIsNotAskedAgain() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario("faults.scenario"));
        fake.fakeNvmlSetTick(0);
        try (NvmlSource source = new NvmlSource()) {
            source.open();
            GpuReading a100 = source.sample(false).gpus().get(1);
            assertThat(a100.status(Metric.POWER)).isEqualTo(MetricStatus.NOT_SUPPORTED);
            assertThat(a100.has(Metric.UTILIZATION_GPU)).isTrue();
            long before = fake.fakeNvmlCallCount("nvmlDeviceGetPowerUsage");
            source.sample(false);
            assertThat(fake.fakeNvmlCallCount("nvmlDeviceGetPowerUsage") - before)
                    .as("asked of the two GPUs that support it, not of the A100").isEqualTo(2);
        }
    }

    @Test
    void aLostGpuIsNeverCalledAgainAndTheOthersKeepGoing() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("normal"), FakeNvml.scenario("faults.scenario"));
        fake.fakeNvmlSetTick(1);
        try (NvmlSource source = new NvmlSource()) {
            source.open();
            assertThat(source.sample(true).gpus().get(2).state()).isEqualTo(MetricStatus.OK);
            fake.fakeNvmlSetTick(2);
            Snapshot lost = source.sample(true);
            assertThat(lost.gpus().get(2).state()).isEqualTo(MetricStatus.GPU_LOST);
            assertThat(lost.gpus().get(2).status(Metric.TEMPERATURE)).isEqualTo(MetricStatus.GPU_LOST);
            long callsWhenLost = fake.fakeNvmlCallCount("lost:2");
            assertThat(callsWhenLost).as("only the call that found it lost").isEqualTo(1);

            fake.fakeNvmlSetTick(3);
            Snapshot later = source.sample(true);
            assertThat(fake.fakeNvmlCallCount("lost:2")).isEqualTo(callsWhenLost);
            assertThat(later.gpus().get(0).state()).isEqualTo(MetricStatus.OK);
            assertThat(later.gpus().get(0).value(Metric.UTILIZATION_GPU)).isEqualTo(40);
        }
    }

    @Test
    void anOlderLibraryWithoutVersionedSymbolsFallsBack() {
        FakeNvml.Control fake = FakeNvml.use(FakeNvml.build("legacy"), FakeNvml.scenario("two-h100.scenario"));
        fake.fakeNvmlSetTick(1);
        try (NvmlSource source = new NvmlSource()) {
            List<GpuInfo> gpus = source.open();
            assertThat(gpus).hasSize(2);
            GpuReading r = source.sample(true).gpus().get(0);
            // v1 memory: "used" includes the driver's reservation, which v1 cannot report apart
            assertThat(r.value(Metric.MEMORY_USED)).isEqualTo(36_507_222_016.0 + 566_231_040);
            assertThat(r.status(Metric.MEMORY_RESERVED)).isEqualTo(MetricStatus.FUNCTION_MISSING);
            assertThat(r.throttleReasons()).containsExactly(ThrottleReason.SW_POWER_CAP); // ThrottleReasons name
            assertThat(r.processes()).extracting(GpuProcess::pid).containsExactly(4242, 4343); // 16-byte v1 struct
            assertThat(source.sample(false).gpus().get(1).value(Metric.FAN)).isEqualTo(30); // nvmlDeviceGetFanSpeed, tick 1
        }
    }

    @Test
    void aDriverThatIsNotLoadedOrMismatchedIsAReasonNotACrash() throws Exception {
        Path library = FakeNvml.build("normal");
        FakeNvml.use(library, scenario("init_error 9\ngpus 1\n"));
        assertThatThrownBy(() -> new NvmlSource().open()).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("kernel driver is not loaded")
                .extracting(e -> ((SourceUnavailableException) e).reason())
                .isEqualTo(SourceUnavailableException.Reason.DRIVER_NOT_LOADED);

        FakeNvml.use(library, scenario("init_error 18\ngpus 1\n"));
        assertThatThrownBy(() -> new NvmlSource().open()).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("version mismatch")
                .extracting(e -> ((SourceUnavailableException) e).reason())
                .isEqualTo(SourceUnavailableException.Reason.VERSION_MISMATCH);
    }

    @Test
    void aMissingLibraryIsAReasonNotACrash() {
        Nvml.unloadForTests();
        System.setProperty(NvmlLibrary.LIBRARY_PROPERTY, folder.resolve("nowhere/libnvidia-ml.so.1").toString());
        assertThatThrownBy(() -> new NvmlSource().open()).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("was not found").hasMessageContaining("simulated")
                .extracting(e -> ((SourceUnavailableException) e).reason())
                .isEqualTo(SourceUnavailableException.Reason.LIBRARY_NOT_FOUND);
    }

    @Test
    void aCallThatHangsIsReportedAndNobodyWaitsForIt() throws Exception {
        FakeNvml.use(FakeNvml.build("normal"), scenario("gpus 1\nsleep nvmlDeviceGetPowerUsage 1500\n"));
        try (NvmlSource source = new NvmlSource()) {
            source.open();
            CountDownLatch stalled = new CountDownLatch(1);
            AtomicLong stallMillis = new AtomicLong();
            long started = System.nanoTime();
            try (Sampler sampler = new Sampler(source, 200, 5000, new Sampler.Listener() {
                @Override
                public void onSnapshot(Snapshot snapshot) {
                }

                @Override
                public void onStall(long millis) {
                    stallMillis.set(millis);
                    stalled.countDown();
                }
            })) {
                sampler.start();
                assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(stallMillis.get()).isGreaterThan(200).isLessThan(1500);
                assertThat((System.nanoTime() - started) / 1e6).isLessThan(1500); // reported before the call returned
            }
        }
    }

    @Test
    void returnCodesKeepTheirNamesWithoutALibrary() {
        assertThat(NvmlReturn.of(15)).isEqualTo(NvmlReturn.GPU_IS_LOST);
        assertThat(NvmlReturn.of(18).toString()).contains("LIB_RM_VERSION_MISMATCH (18)").contains("version mismatch");
        assertThat(NvmlReturn.of(12345)).isEqualTo(NvmlReturn.UNKNOWN);
        assertThat(NvmlReturn.TIMEOUT.code()).isEqualTo(10);
    }
}
