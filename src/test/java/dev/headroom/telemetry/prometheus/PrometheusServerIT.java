package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.nvml.FakeNvmlAccess;
import dev.headroom.telemetry.nvml.NvmlSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop with the real Debian {@code prometheus} server (.ci/run installs it): 'headroom exporter' (the
 * jar, in its own process) serves the fake NVML library's readings, Prometheus scrapes it on loopback every second, and the Prometheus source reads
 * back exactly what the fake reported. Both run as child processes and are stopped by their PIDs.
 */
class PrometheusServerIT {
    @TempDir
    Path folder;

    @Test
    void prometheusScrapesTheExporterAndTheSourceReadsBackTheFakeDriversValues() throws Exception {
        assumeTrue(Files.isExecutable(ScrapedExporter.PROMETHEUS),
                "the Debian prometheus package is not installed (.ci/run installs it)");
        FakeNvmlAccess.use("two-h100.scenario", 0);
        try (NvmlSource nvml = new NvmlSource()) {
            List<GpuInfo> gpus = nvml.open();
            Snapshot reported = nvml.sample(false); // what the fake reports at tick 0
            // The exporter as a user runs it, on the same fake library; an hour-long tick keeps it at tick 0.
            Path scenario = folder.resolve("two-h100-slow.scenario");
            Files.writeString(scenario, Files.readString(FakeNvmlAccess.scenario("two-h100.scenario"))
                    .replace("tick_ms 1000", "tick_ms 3600000"));
            ScrapedExporter run = ScrapedExporter.start(folder, scenario, "headroom", "--no-hostname");
            try (run) {
                PrometheusSource source = new PrometheusSource(URI.create("http://127.0.0.1:" + run.prometheusPort),
                        null, null, Duration.ofSeconds(2));
                List<GpuInfo> seen = null;
                long deadline = System.currentTimeMillis() + 60_000;
                while (seen == null && System.currentTimeMillis() < deadline) {
                    try {
                        seen = source.open();
                    } catch (RuntimeException notYet) {
                        Thread.sleep(500); // starting, or no scrape yet
                    }
                }
                assertThat(seen).as(run.logs()).isNotNull().hasSize(2);
                assertThat(seen.get(0).name()).isEqualTo("127.0.0.1:" + run.exporterPort + " GPU 0: " + gpus.get(0).name());
                assertThat(seen.get(0).uuid()).isEqualTo(gpus.get(0).uuid());

                Snapshot read = source.sample(false);
                for (int i = 0; i < 2; i++) {
                    GpuReading expected = reported.gpus().get(i);
                    GpuReading actual = read.gpus().get(i);
                    for (Metric m : new Metric[] {Metric.UTILIZATION_GPU, Metric.MEMORY_USED, Metric.TEMPERATURE,
                        Metric.POWER, Metric.CLOCK_SM, Metric.CLOCK_MEMORY}) {
                        if (expected.has(m)) {
                            assertThat(actual.value(m)).as("GPU %d %s", i, m).isCloseTo(expected.value(m),
                                    org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(expected.value(m)))));
                        }
                    }
                }

                List<Snapshot> past = source.history(Duration.ofMinutes(1), Duration.ofSeconds(1));
                for (int tries = 0; past.isEmpty() && tries < 20; tries++) {
                    Thread.sleep(500); // the first scrape can be newer than the last whole step
                    past = source.history(Duration.ofMinutes(1), Duration.ofSeconds(1));
                }
                assertThat(past).isNotEmpty();
                assertThat(past.get(past.size() - 1).gpus().get(0).value(Metric.POWER))
                        .isEqualTo(reported.gpus().get(0).value(Metric.POWER));
            }
            for (Process p : new Process[] {run.prometheus, run.exporter}) {
                assertThat(p.isAlive()).as("pid %d stopped", p.pid()).isFalse();
                assertThat(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            }
        } finally {
            FakeNvmlAccess.reset();
        }
    }
}
