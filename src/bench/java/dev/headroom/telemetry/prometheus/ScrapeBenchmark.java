package dev.headroom.telemetry.prometheus;

import dev.headroom.telemetry.SimulatedSource;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one scrape of 'headroom exporter' costs for 8 GPUs: building the dcgm-exporter snapshots from the last
 * sample and writing the Prometheus text format (the HTTP round trip excluded). {@code mvn -B -Pbench verify
 * -Dbench.args=ScrapeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeBenchmark {
    private DcgmMetrics metrics;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);

    @Setup
    public void setUp() {
        SimulatedSource source = new SimulatedSource(SimulatedSource.Preset.H100, SimulatedSource.Workload.TRAINING, 8, 1);
        metrics = new DcgmMetrics(source.open(), "node-1");
        metrics.update(source.sample(false));
    }

    @Benchmark
    public int scrapeEightGpus() throws IOException {
        out.reset();
        writer.write(out, metrics.collect());
        return out.size();
    }
}
