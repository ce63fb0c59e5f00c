package dev.headroom.cost;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.Gpu;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.util.List;
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
 * What the Costs workspace recomputes on each keystroke, on the FX thread: one owned option against the GPU's 23
 * cloud offers, the 5-case sensitivity, and the consumer vs data-center comparison over every catalog GPU (which
 * sizes the plan on each). Target: the whole recompute well under one 16 ms frame. {@code mvn -B -Pbench verify}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class CostBenchmark {
    private CostEngine engine;
    private Sensitivity sensitivity;
    private BuyerComparison buyers;
    private Gpu h100;
    private Scenario plan;

    @Setup
    public void setUp() {
        Catalog catalog = new CatalogLoader(null).load();
        engine = new CostEngine(catalog);
        sensitivity = new Sensitivity(engine);
        buyers = new BuyerComparison(catalog);
        h100 = catalog.requireGpu("h100-sxm");
        plan = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.FP8, null, null, null), new Scenario.Shape(40, 32768, 1024), null,
                null, new Scenario.Hardware("h100-sxm", 8), null, null, null);
    }

    @Benchmark
    public CostOption ownedEightH100AgainstTheirOffers() {
        return engine.owned(h100, 8, 1400.0, CostAssumptions.NONE);
    }

    @Benchmark
    public Sensitivity.Result tornadoEightH100() {
        return sensitivity.tornado(h100, 8, CostAssumptions.NONE, "aws-p5.48xlarge-on-demand");
    }

    @Benchmark
    public List<BuyerComparison.Row> consumerVsDataCenterForLlama70b() {
        return buyers.compare(plan, CostAssumptions.NONE);
    }
}
