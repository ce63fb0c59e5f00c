package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full estimates per second on one core: validation, memory per stage, the GPU-count, batch and context searches,
 * speed and warnings; one variant also builds the assumptions map, which estimates build on first access. Target: at least 1,000,000 per second. Run with {@code mvn -B -Pbench verify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EstimateBenchmark {
    private SizingEngine engine;
    private Scenario inference70b;
    private Scenario training8b;
    private Scenario hybridGemma3;
    private Scenario compressedDeepSeekV4;

    @Setup
    public void setUp() {
        Catalog catalog = new CatalogLoader(null).load();
        engine = new SizingEngine(catalog);
        inference70b = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.FP8, null, null, null), new Scenario.Shape(40, 32768, 1024),
                new Scenario.Parallelism(4, 1, 1, null, null, null, null, null, null, null), null,
                new Scenario.Hardware("h100-sxm", 4), null, null, null);
        training8b = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.PRETRAIN,
                new Scenario.Training(null, null, null, null, null, null, 2, 16, 1e12, Recompute.SELECTIVE), null,
                new Scenario.Shape(null, 8192, 0), new Scenario.Parallelism(2, 1, 32, null, null, 1, true, null, null, null),
                null, new Scenario.Hardware("h100-sxm", 64), null, null, null);
        hybridGemma3 = new Scenario(Scenario.ModelSpec.catalog("gemma-3-27b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(16, 32000, 768),
                null, null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        compressedDeepSeekV4 = new Scenario(Scenario.ModelSpec.catalog("deepseek-v4-flash"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.FP8_BLOCK, null, null, null), new Scenario.Shape(32, 131072, 4096),
                new Scenario.Parallelism(8, 1, 1, null, 8, null, null, null, null, null), null,
                new Scenario.Hardware("h200", 8), null, null, null);
    }

    /** A 5:1 sliding-window pattern: two KV classes. */
    @Benchmark
    public Estimate inferenceGemma3WithSlidingLayers() {
        return engine.estimate(hybridGemma3);
    }

    /** Three KV classes (sliding, compressed with an indexer, heavily compressed) over 43 layers, experts over 8 GPUs. */
    @Benchmark
    public Estimate inferenceDeepSeekV4OnEightH200() {
        return engine.estimate(compressedDeepSeekV4);
    }

    @Benchmark
    public Estimate inferenceLlama70bOnFourH100() {
        return engine.estimate(inference70b);
    }

    /** The same with the assumptions map built too (the UI and reports read it; sweeps do not). */
    @Benchmark
    public int inferenceLlama70bWithAssumptions() {
        return engine.estimate(inference70b).assumptions().size();
    }

    @Benchmark
    public Estimate pretrainingLlama8bOn64H100() {
        return engine.estimate(training8b);
    }
}
