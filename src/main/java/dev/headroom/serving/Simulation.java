package dev.headroom.serving;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CloudOffer;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.PricingKind;
import dev.headroom.cost.CostAssumptions;
import dev.headroom.cost.CostEngine;
import dev.headroom.cost.CostOption;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.ServingProfile;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * A plan under load: one replica's {@link ServingProfile} from the sizing engine, the cluster around it, the load,
 * the SLOs, and the price of the period from the cost engine. Pure and seeded; long runs report progress and stop
 * when cancelled ({@link java.util.concurrent.CancellationException}).
 */
public final class Simulation {
    /**
     * What a new replica takes before it serves besides loading its weights: vLLM's Dynamo bytecode, graph compile,
     * CUDA-graph capture and engine start with a warm cache, 10 + 13 + 7 + 34 s for Llama-3.1-8B on an L40S
     * (tensorfuse.io, "reducing GPU cold start"); the weights themselves load at {@link #STORAGE_BYTES_PER_SECOND}.
     */
    public static final double START_UP_SECONDS = 64;
    /** 16 GB of weights in 18 s from a warm local cache in the same measurement: about 0.9 GB/s; 1 GB/s taken. */
    public static final double STORAGE_BYTES_PER_SECOND = 1e9;
    /** Bisection stops when the bracket is within this share of the rate (Vidur's capacity search uses 2.5 %). */
    static final double RATE_PRECISION = 0.025;
    static final int MAX_SEARCH_STEPS = 20;

    /** Progress of a run: the share done and the figures so far. */
    public interface Listener {
        void update(double fraction, SimulationResult partial);
    }

    /** Everything a run takes. {@code scheduler} null: vLLM's defaults for the GPU. */
    public record Input(Scenario scenario, Load load, RunLength length, ClusterSpec cluster, SchedulerSettings scheduler,
                        Slo slo, long seed) {
        public Input withLoad(Load value) {
            return new Input(scenario, value, length, cluster, scheduler, slo, seed);
        }

        public Input withScenario(Scenario value) {
            return new Input(value, load, length, cluster, scheduler, slo, seed);
        }

        public Input withCluster(ClusterSpec value) {
            return new Input(scenario, load, length, value, scheduler, slo, seed);
        }
    }

    private final Catalog catalog;
    private final SizingEngine engine;

    public Simulation(Catalog catalog) {
        this.catalog = catalog;
        this.engine = new SizingEngine(catalog);
    }

    /** The scheduler a run uses: the given one, or vLLM's defaults for the scenario's GPU. */
    public SchedulerSettings schedulerFor(Input input) {
        if (input.scheduler() != null && input.scheduler().maxBatchedTokens() > 0 && input.scheduler().maxSeqs() > 0) {
            return input.scheduler();
        }
        Gpu gpu = input.scenario().hardware() == null || input.scenario().hardware().gpuId() == null ? null
                : catalog.gpu(input.scenario().hardware().gpuId()).orElse(null);
        SchedulerSettings defaults = gpu == null || gpu.memory().bytes() == null
                ? new SchedulerSettings(2048, 256, SchedulerSettings.Priority.NONE)
                : SchedulerSettings.vllmDefaults(gpu.id(), gpu.memory().bytes());
        SchedulerSettings asked = input.scheduler();
        return asked == null ? defaults : defaults.with(asked.maxBatchedTokens() > 0 ? asked.maxBatchedTokens() : null,
                asked.maxSeqs() > 0 ? asked.maxSeqs() : null, asked.priority());
    }

    /** The replica as the simulator sees it; a scenario or load problem is a {@link ScenarioException}. */
    public ServingProfile profile(Input input) {
        SchedulerSettings scheduler = schedulerFor(input);
        List<String> problems = new ArrayList<>();
        scheduler.problems(problems);
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        Scenario s = input.scenario();
        Lengths in = input.load().input();
        Lengths out = input.load().output();
        Scenario.Shape shape = new Scenario.Shape(1, (int) Math.max(1, Math.round(in.mean())),
                (int) Math.max(1, Math.round(out.mean())));
        return engine.servingProfile(s.withShape(shape), scheduler.maxBatchedTokens());
    }

    public SimulationResult run(Input input, Listener listener, BooleanSupplier cancelled) {
        ServingProfile profile = profile(input);
        validate(input, profile);
        return simulate(input, profile, listener, cancelled);
    }

    private SimulationResult simulate(Input input, ServingProfile profile, Listener listener,
                                      BooleanSupplier cancelled) {
        SchedulerSettings scheduler = schedulerFor(input);
        List<String> assumptions = new ArrayList<>();
        List<String> warnings = new ArrayList<>(profile.estimate().warnings());
        String problem = profile.noBlocksProblem();
        if (problem != null) {
            throw new ScenarioException(List.of(problem));
        }
        double delay = scaleUpDelay(input, profile, assumptions);
        SimulationResult.Capacity capacity = capacity(profile, scheduler, input.load());
        describe(input, profile, scheduler, capacity, assumptions);
        CostRates costs = costRates(profile, assumptions, warnings);
        Simulator.Setup setup = new Simulator.Setup(profile::stepSeconds, profile.kvBlocks(), profile.blockTokens(),
                profile.gpus(), scheduler, input.cluster(), delay, costs, capacity, List.copyOf(assumptions),
                List.copyOf(warnings));
        return new Simulator(setup, input.load(), input.length(), input.slo(), input.seed(),
                listener == null ? null : listener::update, cancelled == null ? () -> false : cancelled).run();
    }

    /**
     * The queueing-theory hook: the event loop with a step-time function of the caller's (fixed, exponential) in
     * place of the sizing engine's, and no costs.
     */
    public static SimulationResult simulate(StepTimer timer, long kvBlocks, int blockTokens,
                                            SchedulerSettings scheduler, ClusterSpec cluster, Load load,
                                            RunLength length, Slo slo, long seed) {
        Simulator.Setup setup = new Simulator.Setup(timer, kvBlocks, blockTokens, 1, scheduler, cluster,
                START_UP_SECONDS, CostRates.NONE, null, List.of(), List.of());
        return new Simulator(setup, load, length, slo, seed, null, () -> false).run();
    }

    /** Every problem of the load, the length of the run, the cluster and the SLOs, at once. */
    private static void validate(Input input, ServingProfile profile) {
        List<String> problems = new ArrayList<>(input.load().problems(profile.maxContextTokens()));
        input.length().problems(problems);
        input.cluster().problems(problems);
        input.slo().problems(problems);
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
    }

    private static double scaleUpDelay(Input input, ServingProfile profile, List<String> assumptions) {
        Autoscaling a = input.cluster().autoscaling();
        if (a == null) {
            return START_UP_SECONDS;
        }
        if (a.scaleUpDelaySeconds() != null) {
            assumptions.add(String.format(Locale.ROOT, "A new replica serves %.0f s after it is asked for (--scale-up-delay)",
                    a.scaleUpDelaySeconds()));
            return a.scaleUpDelaySeconds();
        }
        double load = profile.weightBytesPerGpu() / STORAGE_BYTES_PER_SECOND;
        assumptions.add(String.format(Locale.ROOT, "A new replica serves %.0f s after it is asked for: %.1f GB of"
                        + " weights per GPU at 1 GB/s (a warm local cache) + %.0f s of compile, CUDA-graph capture and"
                        + " engine start (tensorfuse.io, vLLM on an L40S)", load + START_UP_SECONDS,
                profile.weightBytesPerGpu() / 1e9, START_UP_SECONDS));
        return load + START_UP_SECONDS;
    }

    /**
     * What one replica sustains at the mean request: the largest batch the KV blocks and max-seqs allow, and the
     * rate lambda at which a step of that many decoders plus lambda x input x T prompt tokens lasts T and yields
     * lambda x output x T tokens, by fixed-point iteration. An estimate to judge a run by, not the run's result.
     */
    public static SimulationResult.Capacity capacity(ServingProfile profile, SchedulerSettings scheduler, Load load) {
        double in = load.input().mean();
        double out = load.output().mean();
        double held = in + out / 2;
        long blocksPerSeq = (long) Math.ceil(held / profile.blockTokens());
        long byKv = blocksPerSeq == 0 ? Long.MAX_VALUE : profile.kvBlocks() / blocksPerSeq;
        int batch = (int) Math.max(1, Math.min(scheduler.maxSeqs(), byKv));
        String limitedBy = byKv < scheduler.maxSeqs() ? "KV blocks" : "max-seqs";
        double rate = 0;
        double step = profile.stepSeconds(0, 0, 0, batch, held);
        for (int i = 0; i < 50; i++) {
            double prefill = Math.min(scheduler.maxBatchedTokens(), rate * in * step);
            double next = profile.stepSeconds((int) Math.round(prefill), in / 2, (int) Math.ceil(rate * step),
                    batch, held);
            // A fixed point (after the first round, which starts from no prefill) changes nothing in further rounds.
            boolean settled = i > 0 && Math.abs(next - step) <= 1e-12 * step;
            step = next;
            rate = batch / (Math.max(1, out) * step);
            if (settled) {
                break;
            }
        }
        return new SimulationResult.Capacity(rate, batch, limitedBy, profile.kvBlocks(), profile.blockTokens(), step);
    }

    private static void describe(Input input, ServingProfile profile, SchedulerSettings scheduler,
                                 SimulationResult.Capacity capacity, List<String> assumptions) {
        assumptions.add(String.format(Locale.ROOT, "Scheduler as vLLM V1 (0.11): continuous batching, chunked prefill"
                        + " within %d tokens per step, at most %d running sequences, preemption by recomputation%s",
                scheduler.maxBatchedTokens(), scheduler.maxSeqs(), input.scheduler() == null
                        ? " (vllm serve's defaults for this GPU, arg_utils.py @99d7eb5)" : ""));
        assumptions.addAll(profile.budgetLines());
        assumptions.add("Step time: the sizing engine's roofline for each mixed step (its prompt tokens at their"
                + " positions plus every decoding sequence at its context), with the runtime's per-step overhead");
        assumptions.add(String.format(Locale.ROOT, "Capacity estimate: about %.3g requests/s per replica at batch %d"
                        + " (%s-limited), %.1f ms per step", capacity.requestsPerSecondPerReplica(), capacity.batch(),
                capacity.limitedBy(), capacity.stepSecondsAtBatch() * 1e3));
        Load load = input.load();
        assumptions.add("Arrivals: " + (load.closedLoop() ? load.users() + " users, think time exponential with mean "
                + load.thinkTimeSeconds() + " s" : load.arrivals().label() + (load.rate() == null ? ""
                : " at " + load.rate() + " requests/s")) + "; prompts " + load.input().label() + ", outputs "
                + load.output().label() + " tokens");
        if (load.prefixHitRate() > 0) {
            assumptions.add(String.format(Locale.ROOT, "Prefix cache: %.0f %% of each prompt's tokens (whole blocks)"
                    + " are found cached and not computed; their blocks still count against the request",
                    load.prefixHitRate() * 100));
        }
        assumptions.add("Latencies include the run's start from an empty cluster; TPOT = (E2E - TTFT) / (output - 1)"
                + " as vllm bench serve defines it");
    }

    private CostRates costRates(ServingProfile profile, List<String> assumptions, List<String> warnings) {
        Gpu gpu = catalog.gpu(profile.gpuId()).orElseThrow();
        Double fixed = null;
        Double busy = null;
        Double idle = null;
        try {
            CostOption owned = new CostEngine(catalog).owned(gpu, profile.gpus(), null, CostAssumptions.NONE);
            fixed = owned.fixedPerGpuHourUsd();
            busy = owned.energyPerBusyGpuHourUsd();
            idle = owned.idlePerGpuHourUsd();
            assumptions.add(String.format(Locale.ROOT, "Owned: $%.2f fixed per GPU-hour (the cost engine's defaults for"
                    + " %s), plus energy at the measured busy share", fixed, gpu.name()));
        } catch (IllegalArgumentException e) {
            warnings.add("owned cost: " + e.getMessage().lines().findFirst().orElse(""));
        }
        CloudOffer cheapest = catalog.offersFor(gpu.id()).stream()
                .filter(o -> o.pricing() == PricingKind.ON_DEMAND)
                .min(Comparator.comparingDouble(CloudOffer::gpuHourUsd)).orElse(null);
        if (cheapest != null) {
            assumptions.add(String.format(Locale.ROOT, "Rented: %s %s on demand at $%.2f per GPU-hour (%s)",
                    cheapest.provider(), cheapest.instanceType(), cheapest.gpuHourUsd(), cheapest.date()));
        }
        return new CostRates(fixed, busy, idle, cheapest == null ? null : cheapest.gpuHourUsd(),
                cheapest == null ? null : cheapest.provider() + " " + cheapest.instanceType());
    }

    /**
     * The highest Poisson rate whose p99 TTFT and TPOT meet the SLOs, by bisection between 0 and a rate that
     * fails (doubling from the capacity estimate), to {@link #RATE_PRECISION} of the rate. Every probe is a full
     * run with the same seed and length.
     */
    public SimulationResult findMaxRate(Input input, Listener listener, BooleanSupplier cancelled) {
        if (!input.slo().any()) {
            throw new ScenarioException(List.of("find-max-rate: needs --ttft-slo or --tpot-slo (the targets a rate"
                    + " must meet)"));
        }
        ServingProfile profile = profile(input);
        Load poisson = new Load(new Arrivals.Poisson(), 1.0, null, null, input.load().input(), input.load().output(),
                input.load().prefixHitRate(), input.load().highPriorityShare());
        Input base = input.withLoad(poisson);
        validate(base, profile);
        SchedulerSettings scheduler = schedulerFor(input);
        int replicas = Math.max(1, input.cluster().replicas());
        double guess = capacity(profile, scheduler, poisson).requestsPerSecondPerReplica() * replicas;
        double low = 0;
        SimulationResult best = null;
        double high = Math.max(1e-3, guess);
        int steps = 0;
        // Find a rate that fails.
        while (steps < MAX_SEARCH_STEPS) {
            SimulationResult r = simulate(base.withLoad(poisson.withRate(high)), profile, null, cancelled);
            steps++;
            report(listener, steps, r);
            if (meets(r, input.slo())) {
                low = high;
                best = r;
                high *= 2;
            } else {
                break;
            }
        }
        while (steps < MAX_SEARCH_STEPS && high - low > RATE_PRECISION * high) {
            double mid = (low + high) / 2;
            SimulationResult r = simulate(base.withLoad(poisson.withRate(mid)), profile, null, cancelled);
            steps++;
            report(listener, steps, r);
            if (meets(r, input.slo())) {
                low = mid;
                best = r;
            } else {
                high = mid;
            }
        }
        SimulationResult shown = best != null ? best
                : simulate(base.withLoad(poisson.withRate(Math.max(low, high / 2))), profile, null, cancelled);
        double outputPerRequest = input.load().output().mean();
        return shown.withMaxRate(new SimulationResult.MaxRate(low, low * outputPerRequest, steps,
                high - low));
    }

    private static void report(Listener listener, int steps, SimulationResult r) {
        if (listener != null) {
            listener.update(Math.min(1, steps / (double) MAX_SEARCH_STEPS), r);
        }
    }

    /** Whether a run is stable and its p99 TTFT and TPOT are within the targets. */
    public static boolean meets(SimulationResult r, Slo slo) {
        if (!r.stable() || r.ttftSeconds() == null) {
            return false;
        }
        boolean ttft = slo.ttftSeconds() == null || r.ttftSeconds().p99() <= slo.ttftSeconds();
        boolean tpot = slo.tpotSeconds() == null || r.tpotSeconds() == null || r.tpotSeconds().p99() <= slo.tpotSeconds();
        return ttft && tpot;
    }

    /**
     * Horizontal against vertical at the same GPU count: 2n replicas of tensor split t against n of 2t (n = the
     * run's replicas, at least 1), each under the same load and seed. Vertical is null-figured with the reason
     * where the model or the node cannot take the wider split.
     */
    public SimulationResult.Comparison compareScaling(Input input, BooleanSupplier cancelled) {
        Scenario s = input.scenario();
        int t = s.parallelism().tensor();
        int n = Math.max(1, input.cluster().replicas());
        ClusterSpec horizontalCluster = new ClusterSpec(2 * n, input.cluster().balancer(), null,
                input.cluster().routerQueue());
        SimulationResult h = run(input.withCluster(horizontalCluster), null, cancelled);
        SimulationResult.Comparison.Plan horizontal = plan((2 * n) + " x TP" + t, 2 * n, t, 2 * n * t * s.parallelism().pipeline(), h);
        SimulationResult.Comparison.Plan vertical;
        try {
            Scenario wide = s.withParallelism(s.parallelism().withTensorAndPipeline(2 * t, s.parallelism().pipeline()))
                    .withHardware(new Scenario.Hardware(s.hardware().gpuId(), 2 * t * s.parallelism().pipeline(),
                            s.hardware().nodes(), s.hardware().offload(), s.hardware().unifiedGpuShare()));
            SimulationResult v = run(input.withScenario(wide).withCluster(horizontalCluster.withReplicas(n)), null,
                    cancelled);
            vertical = plan(n + " x TP" + (2 * t), n, 2 * t, 2 * n * t * s.parallelism().pipeline(), v);
        } catch (ScenarioException e) {
            vertical = new SimulationResult.Comparison.Plan(n + " x TP" + (2 * t), n, 2 * t,
                    2 * n * t * s.parallelism().pipeline(), null, null, null, null, false,
                    "not possible: " + String.join("; ", e.problems()));
        }
        return new SimulationResult.Comparison(horizontal, vertical);
    }

    private static SimulationResult.Comparison.Plan plan(String layout, int replicas, int t, int gpus,
                                                         SimulationResult r) {
        Double cost = r.costUsd().cloud() != null ? r.costUsd().cloud() : r.costUsd().owned();
        return new SimulationResult.Comparison.Plan(layout, replicas, t, gpus, r.ttftSeconds(), r.tpotSeconds(),
                r.sloAttainment(), cost, r.stable(), r.verdict());
    }
}
