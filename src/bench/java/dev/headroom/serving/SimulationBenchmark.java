package dev.headroom.serving;

import dev.headroom.catalog.CatalogLoader;
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
 * The serving issue's target: one million requests of a one-replica Llama-3.1-8B plan on an H100 SXM, 1024 prompt
 * and 256 output tokens, Poisson at 80 % of the replica's capacity estimate, in at most 5 s of wall time on one core.
 * Each invocation is the whole run, as {@code headroom simulate --requests 1000000} does it (the engine's step times,
 * HdrHistogram percentiles, time series), after the JIT has warmed on two. {@code mvn -B -Pbench verify
 * -Dbench.args=SimulationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1"})
@Threads(1)
public class SimulationBenchmark {
    private Simulation simulation;
    private Simulation.Input input;

    @Setup
    public void setUp() {
        simulation = new Simulation(new CatalogLoader(null).load());
        Scenario plan = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(1, 1024, 256), null,
                null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        Load load = Load.open(new Arrivals.Poisson(), 1, new Lengths.Fixed(1024), new Lengths.Fixed(256));
        Simulation.Input probe = new Simulation.Input(plan, load, RunLength.ofRequests(1), ClusterSpec.single(), null,
                Slo.NONE, 1);
        double capacity = Simulation.capacity(simulation.profile(probe), simulation.schedulerFor(probe), load)
                .requestsPerSecondPerReplica();
        input = new Simulation.Input(plan, load.withRate(0.8 * capacity), RunLength.ofRequests(1_000_000),
                ClusterSpec.single(), null, new Slo(2.0, 0.2), 1);
    }

    @Benchmark
    public SimulationResult millionRequests() {
        return simulation.run(input, null, null);
    }
}
