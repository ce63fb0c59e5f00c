package dev.headroom.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.ServingProfile;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import dev.headroom.sizing.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog plan under load: the sizing engine's step times and KV budget, the cluster, the cost of the period. */
class SimulationTest {
    static final Catalog CATALOG = new CatalogLoader(null).load();
    static final Simulation SIMULATION = new Simulation(CATALOG);

    static Scenario llama8b(String gpu) {
        return new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(1, 1024, 256), null,
                null, new Scenario.Hardware(gpu, 1), null, null, null);
    }

    static Simulation.Input input(Load load, RunLength length, ClusterSpec cluster, Slo slo) {
        return new Simulation.Input(llama8b("h100-sxm"), load, length, cluster, null, slo, 1);
    }

    static Load poisson(double rate) {
        return Load.open(new Arrivals.Poisson(), rate, new Lengths.Fixed(1024), new Lengths.Fixed(256));
    }

    static double capacity() {
        return capacity(poisson(1));
    }

    /** The analytic estimate of one replica's rate at this length mix. */
    static double capacity(Load load) {
        Simulation.Input in = input(load, RunLength.ofRequests(1), ClusterSpec.single(), Slo.NONE);
        return Simulation.capacity(SIMULATION.profile(in), SIMULATION.schedulerFor(in), in.load())
                .requestsPerSecondPerReplica();
    }

    /** A step of decoders only is the sizing engine's decode step: the simulator and Plan agree on TPOT. */
    @Test
    void aDecodeOnlyStepTakesTheEnginesTimePerOutputToken() {
        SizingEngine engine = new SizingEngine(CATALOG);
        for (int batch : new int[] {1, 16, 64}) {
            Scenario s = llama8b("h100-sxm").withShape(new Scenario.Shape(batch, 2048, 2));
            Estimate e = engine.estimate(s);
            ServingProfile profile = engine.servingProfile(s, 8192);
            double step = profile.stepSeconds(0, 0, 0, batch, 2048);
            assertThat(step).as("batch %d", batch).isCloseTo(e.performance().timePerOutputTokenSeconds(),
                    within(0.05 * step));
        }
    }

    @Test
    void belowCapacityTheRunIsStableAndServesTheOfferedRateAboveItIsNot() {
        double capacity = capacity();
        SimulationResult below = SIMULATION.run(input(poisson(0.8 * capacity), RunLength.ofRequests(20_000),
                ClusterSpec.single(), Slo.NONE), null, null);
        assertThat(below.stable()).isTrue();
        assertThat(below.throughput().requestsPerSecond()).isCloseTo(0.8 * capacity, within(0.03 * capacity));
        assertThat(below.throughput().outputTokensPerSecond())
                .isCloseTo(below.throughput().requestsPerSecond() * 256, within(1.0));
        QueueingTheoryTest.assertLittle(below);

        SimulationResult above = SIMULATION.run(input(poisson(1.3 * capacity), RunLength.ofRequests(20_000),
                ClusterSpec.single(), Slo.NONE), null, null);
        assertThat(above.stable()).isFalse();
        assertThat(above.verdict()).startsWith("unstable: arrivals exceed what 1 replica serves");
    }

    @Test
    void twoReplicasCarryTwiceTheLoadAndCostTwiceTheGpuHours() {
        double capacity = capacity();
        SimulationResult one = SIMULATION.run(input(poisson(0.6 * capacity), RunLength.ofSeconds(600),
                ClusterSpec.single(), Slo.NONE), null, null);
        SimulationResult two = SIMULATION.run(input(poisson(1.2 * capacity), RunLength.ofSeconds(600),
                new ClusterSpec(2, Balancer.LEAST_OUTSTANDING, null, false), Slo.NONE), null, null);
        assertThat(two.stable()).isTrue();
        assertThat(two.throughput().requestsPerSecond()).isCloseTo(2 * one.throughput().requestsPerSecond(),
                within(0.05 * two.throughput().requestsPerSecond()));
        // GPU-hours: every replica from the start to the end of the run.
        assertThat(one.costUsd().gpuHours()).isCloseTo(one.durationSeconds() / 3600, within(1e-6));
        assertThat(two.costUsd().gpuHours()).isCloseTo(2 * two.durationSeconds() / 3600, within(1e-6));
        assertThat(two.costUsd().cloud()).isCloseTo(two.costUsd().gpuHours() * two.costUsd().cloudGpuHourUsd(),
                within(1e-9));
        assertThat(two.costUsd().owned()).isPositive();
    }

    @Test
    void everyBalancerServesTheSameLoadAndLeastOutstandingQueuesLessThanRoundRobin() {
        Load mixed = Load.open(new Arrivals.Poisson(), 1, new Lengths.LogNormal(1024, 900),
                new Lengths.LogNormal(256, 250));
        mixed = mixed.withRate(3 * 0.75 * capacity(mixed));
        List<SimulationResult> results = new ArrayList<>();
        for (Balancer b : Balancer.values()) {
            results.add(SIMULATION.run(input(mixed, RunLength.ofRequests(30_000), new ClusterSpec(3, b, null, false),
                    Slo.NONE), null, null));
        }
        for (SimulationResult r : results) {
            assertThat(r.stable()).isTrue();
            QueueingTheoryTest.assertLittle(r);
        }
        assertThat(results.get(1).ttftSeconds().p99()).isLessThanOrEqualTo(results.get(0).ttftSeconds().p99());
    }

    /** The interactive response time law: N users with think time Z and response time R give X = N / (Z + R). */
    @Test
    void aClosedLoopFollowsTheResponseTimeLaw() {
        Load users = Load.closed(50, 4.0, new Lengths.Fixed(1024), new Lengths.Fixed(256));
        SimulationResult r = SIMULATION.run(input(users, RunLength.ofRequests(20_000), ClusterSpec.single(),
                Slo.NONE), null, null);
        double x = r.throughput().requestsPerSecond();
        assertThat(x).isCloseTo(50 / (4.0 + r.e2eSeconds().mean()), within(0.02 * x));
    }

    @Test
    void highPriorityRequestsWaitLessThanLowOnesUnderLoad() {
        double capacity = capacity();
        Load load = poisson(0.95 * capacity).withHighPriorityShare(0.2);
        Simulation.Input in = new Simulation.Input(llama8b("h100-sxm"), load, RunLength.ofRequests(20_000),
                ClusterSpec.single(), new SchedulerSettings(0, 0, SchedulerSettings.Priority.PREEMPTIVE), Slo.NONE, 3);
        SimulationResult r = SIMULATION.run(in, null, null);
        assertThat(r.classes()).hasSize(2);
        SimulationResult.ClassLatency high = r.classes().get(0);
        SimulationResult.ClassLatency low = r.classes().get(1);
        assertThat(high.name()).isEqualTo("high");
        assertThat(high.requests()).isCloseTo(4_000, within(300L));
        assertThat(high.ttftSeconds().p99()).isLessThan(low.ttftSeconds().p99());
    }

    @Test
    void aPrefixCacheHitShortensTimeToFirstToken() {
        Load load = Load.open(new Arrivals.Poisson(), 1, new Lengths.Fixed(4096), new Lengths.Fixed(64));
        load = load.withRate(0.5 * capacity(load));
        SimulationResult cold = SIMULATION.run(input(load, RunLength.ofRequests(5_000), ClusterSpec.single(),
                Slo.NONE), null, null);
        SimulationResult warm = SIMULATION.run(input(load.withPrefixHitRate(0.75), RunLength.ofRequests(5_000),
                ClusterSpec.single(), Slo.NONE), null, null);
        assertThat(warm.ttftSeconds().mean()).isLessThan(0.6 * cold.ttftSeconds().mean());
        assertThat(warm.assumptions()).anyMatch(a -> a.startsWith("Prefix cache: 75 %"));
    }

    /** A step in the load, as a trace: replicas follow it up after the scale-up delay and down after the cooldown. */
    @Test
    void autoscalingFollowsAStepInTheLoadWithinItsBounds(@TempDir Path folder) throws Exception {
        double capacity = capacity();
        StringBuilder rows = new StringBuilder("arrival_seconds,input_tokens,output_tokens\n");
        double t = 0;
        for (double[] phase : new double[][] {{600, 0.3}, {900, 2.5}, {1500, 0.3}}) {
            double end = t + phase[0];
            for (; t < end; t += 1 / (phase[1] * capacity)) {
                rows.append(String.format(java.util.Locale.ROOT, "%.4f,1024,256%n", t));
            }
        }
        Path file = folder.resolve("step.csv");
        Files.writeString(file, rows);
        TraceFile trace = TraceFile.read(file);
        Load load = new Load(new Arrivals.Trace(file, trace), null, null, null, trace.inputLengths(),
                trace.outputLengths(), 0, 0);
        Autoscaling policy = Autoscaling.parse("queue:8", 1, 5, 120.0, null);
        SimulationResult r = SIMULATION.run(input(load, new RunLength(null, null),
                new ClusterSpec(1, Balancer.LEAST_OUTSTANDING, policy, false), Slo.NONE), null, null);

        List<SimulationResult.ReplicaPoint> series = r.replicas();
        assertThat(series.get(0).replicas()).isEqualTo(1);
        assertThat(replicasAt(series, 590)).isEqualTo(1);
        assertThat(replicasAt(series, 1400)).isBetween(3, 5);
        assertThat(series.stream().mapToInt(SimulationResult.ReplicaPoint::replicas).max().orElseThrow()).isLessThanOrEqualTo(5);
        assertThat(replicasAt(series, 2900)).isLessThanOrEqualTo(2);
        // A new replica serves only after the delay: the first one asked for is not there 120 s into the step.
        assertThat(r.assumptions()).anyMatch(a -> a.contains("serves 120 s after it is asked for"));
        assertThat(r.costUsd().gpuHours()).isLessThan(5 * r.durationSeconds() / 3600);
    }

    private static int replicasAt(List<SimulationResult.ReplicaPoint> series, double time) {
        int replicas = series.get(0).replicas();
        for (SimulationResult.ReplicaPoint p : series) {
            if (p.timeSeconds() <= time) {
                replicas = p.replicas();
            }
        }
        return replicas;
    }

    @Test
    void findMaxRateReturnsARateThatMeetsTheSlosWhereAHigherOneDoesNot() {
        Slo slo = new Slo(1.0, 0.05);
        Simulation.Input in = input(poisson(1), RunLength.ofRequests(3_000), ClusterSpec.single(), slo);
        SimulationResult best = SIMULATION.findMaxRate(in, null, null);
        double rate = best.maxRate().requestsPerSecond();
        assertThat(rate).isPositive();
        assertThat(Simulation.meets(SIMULATION.run(in.withLoad(poisson(rate)), null, null), slo)).isTrue();
        assertThat(Simulation.meets(SIMULATION.run(in.withLoad(poisson(rate * 1.1)), null, null), slo)).isFalse();
    }

    @Test
    void horizontalAndVerticalScalingAreComparedAtTheSameGpuCount() {
        double capacity = capacity();
        SimulationResult.Comparison c = SIMULATION.compareScaling(input(poisson(1.2 * capacity),
                RunLength.ofRequests(5_000), ClusterSpec.single(), new Slo(2.0, 0.1)), null);
        assertThat(c.horizontal().layout()).isEqualTo("2 x TP1");
        assertThat(c.vertical().layout()).isEqualTo("1 x TP2");
        assertThat(c.horizontal().gpus()).isEqualTo(c.vertical().gpus()).isEqualTo(2);
        assertThat(c.horizontal().stable()).isTrue();
        assertThat(c.vertical().tpotSeconds()).isNotNull();
    }

    @Test
    void progressArrivesWithPartialResultsAndCancelStopsTheRun() {
        List<Double> fractions = new ArrayList<>();
        int[] calls = {0};
        Simulation.Input in = input(poisson(10), RunLength.ofRequests(200_000), ClusterSpec.single(), Slo.NONE);
        assertThatThrownBy(() -> SIMULATION.run(in, (fraction, partial) -> {
            fractions.add(fraction);
            assertThat(partial.requests()).isPositive();
        }, () -> ++calls[0] > 20)).isInstanceOf(CancellationException.class);
        assertThat(fractions).isNotEmpty().isSorted();
        assertThat(fractions.get(fractions.size() - 1)).isLessThan(1.0);
    }

    @Test
    void aModelThatLeavesNoRoomForTheCacheIsAProblemNotARun() {
        Scenario big = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-70b"), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.BF16, null, null, null), new Scenario.Shape(1, 1024, 256), null,
                null, new Scenario.Hardware("h100-sxm", 1), null, null, null);
        Simulation.Input in = new Simulation.Input(big, poisson(1), RunLength.ofRequests(10), ClusterSpec.single(), null,
                Slo.NONE, 0);
        assertThatThrownBy(() -> SIMULATION.run(in, null, null)).isInstanceOf(ScenarioException.class);
    }
}
