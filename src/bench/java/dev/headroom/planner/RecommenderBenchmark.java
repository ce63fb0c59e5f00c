package dev.headroom.planner;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.serving.Arrivals;
import dev.headroom.serving.Lengths;
import dev.headroom.serving.Load;
import dev.headroom.serving.RunLength;
import dev.headroom.serving.Slo;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
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
 * The recommender's two costs for the README's question (Llama-3.3-70B, 20 requests/s, 2048 in and 512 out, p99 TTFT
 * 2 s and TPOT 100 ms): screening every catalog GPU x bf16/fp8/awq-int4 x split up to 64 GPUs without simulating,
 * and the default search with the 20 cheapest layouts simulated (1000 requests each). Configurations per second =
 * the run's {@code screened} count (235,389 on the 2026-12-03 catalog: every GPU x format x KV type x TP x PP x
 * running-sequence limit x replica count the screen judged, a layout that does not fit counted once) over its time. {@code mvn -B -Pbench verify -Dbench.args=RecommenderBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class RecommenderBenchmark {
    private Recommender recommender;
    private Scenario model;
    private Load load;
    private SearchSpace space;

    @Setup
    public void setUp() {
        Catalog catalog = new CatalogLoader(null).load();
        recommender = new Recommender(catalog);
        model = new Scenario(Scenario.ModelSpec.catalog("llama-3.3-70b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(1, 2048, 512), null,
                null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        load = Load.open(new Arrivals.Poisson(), 20, new Lengths.Fixed(2048), new Lengths.Fixed(512));
        space = new SearchSpace(SearchSpace.gpus(catalog, null), SearchSpace.DEFAULT_FORMATS, 64, true, true);
    }

    /** Short runs: more warm-ups than the default so the figure is the warmed screen, not the JIT compiling it. */
    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 10)
    public Recommendation screenOnly() {
        return recommender.recommend(model, load, new Slo(2.0, 0.1), space, null, 0, RunLength.ofRequests(1000), 0,
                null, null);
    }

    @Benchmark
    public Recommendation defaultSearch() {
        return recommender.recommend(model, load, new Slo(2.0, 0.1), space, null, 20, RunLength.ofRequests(1000), 0,
                null, null);
    }
}
