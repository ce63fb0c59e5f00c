package dev.headroom.planner;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.CostEngine;
import dev.headroom.serving.ClusterSpec;
import dev.headroom.serving.Load;
import dev.headroom.serving.RunLength;
import dev.headroom.serving.SchedulerSettings;
import dev.headroom.serving.Simulation;
import dev.headroom.serving.SimulationResult;
import dev.headroom.serving.Slo;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.ServingProfile;
import dev.headroom.sizing.SizingEngine;
import dev.headroom.sizing.WeightFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The cheapest serving configurations that meet p99 targets at a load, in two stages. Screening walks every GPU x
 * weight format x tensor split (within the fast-link domain) x pipeline split with the sizing engine: the KV block
 * budget, the capacity at the mean request, the largest running batch whose decode step meets the TPOT target, and
 * the replicas that keep an M/D/c estimate of TTFT within its target; then prices each owned and on each pricing kind's
 * cheapest offer. Confirming runs the serving simulator on the cheapest {@code confirm} layouts, adding a replica
 * (twice at most) where a run misses; the simulator's figures are the ones shown and ranked.
 */
public final class Recommender {
    /** The busiest a replica is planned at: beyond it the queue, and TTFT, grow without bound in practice. */
    static final double MAX_UTILIZATION = 0.9;
    static final int EXTRA_REPLICAS = 2;
    static final int[] SPLITS = {1, 2, 4, 8, 16, 32, 64};

    private final SizingEngine engine;
    private final Simulation simulation;
    private final GpuHourPrices prices;

    public Recommender(Catalog catalog) {
        this.engine = new SizingEngine(catalog);
        this.simulation = new Simulation(catalog);
        this.prices = new GpuHourPrices(catalog);
    }

    /** Progress: the stage's share done. */
    public interface Listener {
        void update(String stage, double fraction);
    }

    /**
     * @param base    the model, precision and runtime to plan (its GPU, format and split are what the search varies)
     * @param load    an open-loop load (its rate is the one to serve)
     * @param slo     p99 targets (at least one)
     * @param confirm how many of the cheapest layouts the simulator runs
     */
    public Recommendation recommend(Scenario base, Load load, Slo slo, SearchSpace space, Double budgetPerMonth,
                                    int confirm, RunLength length, long seed, Listener listener,
                                    BooleanSupplier cancelled) {
        List<String> problems = new ArrayList<>();
        if (load.rate() == null) {
            problems.add("rate: --rate R is required (the requests per second to serve)");
        }
        if (!slo.any()) {
            problems.add("ttft-slo: --ttft-slo or --tpot-slo is required (the targets a configuration must meet)");
        }
        // The plan's own fields (model, precision, runtime) checked once: a bad one is the user's to fix, not a
        // layout for screening to skip. Valid means the engine sizes it on at least one GPU of the space.
        List<String> invalid = null;
        for (Gpu gpu : space.gpus()) {
            try {
                engine.estimate(base.withParallelism(base.parallelism().withTensorAndPipeline(1, 1))
                        .withHardware(new Scenario.Hardware(gpu.id(), 1)));
                invalid = null;
                break;
            } catch (ScenarioException e) {
                invalid = invalid == null ? e.problems() : invalid;
            }
        }
        if (invalid != null) {
            problems.addAll(invalid);
        }
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        Map<String, String> whyNot = new LinkedHashMap<>();
        List<Screened> screened = new ArrayList<>();
        List<Candidate> everyPrice = new ArrayList<>(); // each screened layout priced once, with no budget cap
        Map<Screened, Double> misses = new LinkedHashMap<>();
        long count = 0;
        int done = 0;
        for (Gpu gpu : space.gpus()) {
            done++;
            if (listener != null) {
                listener.update("screening", done / (double) space.gpus().size());
            }
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new java.util.concurrent.CancellationException("recommendation cancelled");
            }
            Reasons reasons = new Reasons();
            List<Candidate> priced = new ArrayList<>();
            for (WeightFormat format : space.formats()) {
                if (format != space.nativeFormat() && !computes(gpu, format)) {
                    reasons.kernels.add(format.label());
                    continue;
                }
                for (int tp : SPLITS) {
                    for (int pp : SPLITS) {
                        if (tp * pp > space.maxGpus() || (tp > domain(gpu)) || (pp > 1 && tp < domain(gpu)
                                && tp < space.maxGpus())) {
                            continue; // tensor split inside the fast-link domain; pipeline only across domains
                        }
                        for (dev.headroom.sizing.NumberFormat kv : kvOptions(base, gpu)) {
                            Screened s = screen(base, gpu, format, kv, tp, pp, load, slo, space, reasons);
                            if (s != null) {
                                screened.add(s);
                                priced.addAll(prices(s, space, load));
                            }
                        }
                    }
                }
            }
            count += reasons.configurations;
            everyPrice.addAll(priced);
            double cheapest = priced.stream().mapToDouble(Candidate::costPerMonthUsd).min().orElse(Double.NaN);
            if (priced.isEmpty()) {
                whyNot.put(gpu.id(), reasons.explain(gpu, space));
                if (reasons.closest != null) {
                    misses.put(reasons.closest, reasons.closestMiss);
                }
            } else if (budgetPerMonth != null && cheapest > budgetPerMonth) {
                whyNot.put(gpu.id(), String.format(Locale.ROOT, "over budget by $%,.0f/month at best ($%,.0f)",
                        cheapest - budgetPerMonth, cheapest));
            }
        }
        List<Candidate> all = new ArrayList<>(everyPrice.stream()
                .filter(c -> budgetPerMonth == null || c.costPerMonthUsd() <= budgetPerMonth).toList());
        all.sort(Comparator.comparingDouble(Candidate::costPerMonthUsd));
        List<Candidate> confirmed = confirm(all, screened, base, load, slo, space, budgetPerMonth, confirm, length,
                seed, listener, cancelled);
        List<Candidate> closest = List.of();
        if (confirm > 0 && confirmed.stream().noneMatch(Candidate::meetsSlo)) {
            closest = closest(screened, everyPrice, misses, base, load, slo, space, budgetPerMonth, length, seed,
                    cancelled);
            // A near miss whose run meets the targets after all (the screen is the cautious stage) is an answer.
            Double cap = budgetPerMonth;
            List<Candidate> met = closest.stream().filter(c -> c.meetsSlo()
                    && (cap == null || c.costPerMonthUsd() <= cap)).toList();
            if (!met.isEmpty()) {
                confirmed = new ArrayList<>(confirmed);
                confirmed.addAll(0, met);
                closest = closest.stream().filter(c -> !met.contains(c)).toList();
            }
        }
        List<String> assumptions = assumptions(load, slo, space, confirm);
        List<Rejection> rejected = whyNot.entrySet().stream().map(e -> new Rejection(e.getKey(), e.getValue()))
                .toList();
        long simulated = java.util.stream.Stream.concat(confirmed.stream(), closest.stream())
                .filter(Candidate::simulated).map(Candidate::layout).distinct().count();
        return new Recommendation(confirmed, pareto(confirmed), rejected, count, (int) simulated, assumptions,
                closest);
    }

    /** What screening keeps of one layout: its profile and the analytic figures at the replicas it needs. */
    record Screened(Gpu gpu, Scenario scenario, ServingProfile profile, SchedulerSettings scheduler, int replicas,
                    double ttft, double tpot, String binding) {
    }

    /** Why a GPU gave nothing: the first constraint every layout of it failed, and the closest it came. */
    static final class Reasons {
        final List<String> kernels = new ArrayList<>();
        double leastMemoryRatio = Double.POSITIVE_INFINITY;
        String leastMemoryFormat;
        int leastMemoryGpus;
        boolean fitted;
        boolean tpotMet;
        double bestTpot = Double.POSITIVE_INFINITY;
        double bestTtft = Double.POSITIVE_INFINITY;
        boolean outOfGpus;
        /** Configurations decided: a layout that does not fit counts once, else each limit x replica count. */
        long configurations;
        /** The configuration that came closest without meeting the targets, and by how much it misses (1 = meets). */
        Screened closest;
        double closestMiss = Double.POSITIVE_INFINITY;

        String explain(Gpu gpu, SearchSpace space) {
            if (!fitted && Double.isFinite(leastMemoryRatio)) {
                return String.format(Locale.ROOT, "does not fit: needs %.1f x its memory even at %s on %d GPUs",
                        leastMemoryRatio, leastMemoryFormat, leastMemoryGpus);
            }
            if (!fitted) {
                return kernels.isEmpty() ? "no split of the model fits the search's rules"
                        : "no kernels for " + String.join(", ", kernels) + " on " + gpu.architecture();
            }
            if (!tpotMet) {
                return "misses TPOT p99: " + Format.time(bestTpot) + " at best, one sequence at a time";
            }
            if (outOfGpus && !Double.isFinite(bestTtft)) {
                return "needs more than " + space.maxGpus() + " GPUs for the rate";
            }
            return "misses TTFT p99: " + Format.time(bestTtft) + " at best within " + space.maxGpus() + " GPUs";
        }
    }

    /** The plan's KV cache type, and fp8 besides where the GPU computes in fp8 (vLLM's --kv-cache-dtype fp8). */
    static List<dev.headroom.sizing.NumberFormat> kvOptions(Scenario base, Gpu gpu) {
        dev.headroom.sizing.NumberFormat planned = base.precision().kvCache();
        List<dev.headroom.sizing.NumberFormat> options = new ArrayList<>();
        options.add(planned);
        if (planned != dev.headroom.sizing.NumberFormat.FP8 && computes(gpu, WeightFormat.FP8)) {
            options.add(dev.headroom.sizing.NumberFormat.FP8);
        }
        return options;
    }

    /**
     * Running-sequence limits the screen tries (vLLM's --max-num-seqs), up to the runtime's default for the GPU and
     * what the KV cache holds: steps of about 1.5 x, so the chosen limit is within a third of the largest that meets
     * the TPOT target.
     */
    static final int[] SEQS = {1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024};

    /**
     * Screens one layout: every running-sequence limit x replica count of it, each judged on its decode step at the
     * full batch (TPOT, with 15 % to spare for the prefill chunks the simulator mixes in), its utilisation and its
     * M/D/1 TTFT. Keeps the cheapest that meets the targets (fewest replicas, then the lowest TTFT) and, in
     * {@code reasons}, the closest miss.
     */
    private Screened screen(Scenario base, Gpu gpu, WeightFormat format, dev.headroom.sizing.NumberFormat kv, int tp,
                            int pp, Load load, Slo slo, SearchSpace space, Reasons reasons) {
        Scenario s = base.withPrecision(new Scenario.Precision(format, base.precision().groupSize(),
                        kv, base.precision().activations()))
                .withParallelism(base.parallelism().withTensorAndPipeline(tp, pp))
                .withHardware(new Scenario.Hardware(gpu.id(), tp * pp));
        if (space.calibration() != null) {
            s = space.calibration().applyTo(s); // only on the GPU and runtime it was fitted on
        }
        SchedulerSettings scheduler = SchedulerSettings.vllmDefaults(gpu.id(),
                gpu.memory().bytes() == null ? 0 : gpu.memory().bytes());
        ServingProfile profile;
        try {
            Scenario shaped = s.withShape(new Scenario.Shape(1, (int) Math.max(1, Math.round(load.input().mean())),
                    (int) Math.max(1, Math.round(load.output().mean()))));
            profile = engine.servingProfile(shaped, scheduler.maxBatchedTokens());
        } catch (ScenarioException e) {
            return null; // a split the model cannot take (heads, layers) or a runtime that cannot run it
        }
        // What one request at its longest needs besides the weights and overheads, against what the GPU has.
        double longest = ((double) load.input().max() + load.output().max()) / profile.blockTokens()
                * profile.bytesPerBlockPerGpu();
        double ratio = (profile.nonKvBytesPerGpu() + longest) / Math.max(1, profile.usableBytesPerGpu());
        if (ratio < reasons.leastMemoryRatio) {
            reasons.leastMemoryRatio = ratio;
            reasons.leastMemoryFormat = format.label();
            reasons.leastMemoryGpus = tp * pp;
        }
        if (profile.noBlocksProblem() != null || profile.kvBlocks() * profile.blockTokens()
                < (long) load.input().max() + load.output().max()) {
            reasons.configurations++; // one decision: no limit or replica count changes what one replica holds
            return null;
        }
        reasons.fitted = true;
        double in = load.input().mean();
        double held = in + load.output().mean() / 2;
        long blocksPerSeq = (long) Math.ceil(held / profile.blockTokens());
        long byKv = blocksPerSeq == 0 ? Long.MAX_VALUE : profile.kvBlocks() / blocksPerSeq;
        double single = profile.stepSeconds(0, 0, 0, 1, held);
        reasons.bestTpot = Math.min(reasons.bestTpot, single);
        int chunk = scheduler.maxBatchedTokens();
        double prefill = profile.stepSeconds((int) Math.min(chunk, Math.round(in)), in / 2, 1, 0, 0)
                * Math.ceil(in / chunk);
        int maxReplicas = space.maxGpus() / (tp * pp);
        Screened best = null;
        SimulationResult.Capacity bestCapacity = null;
        int largestMeetingTpot = 0;
        // The limits to try: the grid below what the KV cache holds at the mean request, then that many itself. A
        // limit above it only admits sequences the cache must later preempt (vLLM recomputes them).
        int ceiling = (int) Math.max(1, Math.min(scheduler.maxSeqs(), byKv));
        for (int i = 0; i < SEQS.length && (i == 0 || SEQS[i - 1] < ceiling); i++) {
            int seqs = Math.min(SEQS[i], ceiling);
            int batch = seqs;
            double tpot = profile.stepSeconds(0, 0, 0, batch, held) * 1.15;
            boolean tpotMet = slo.tpotSeconds() == null || tpot <= slo.tpotSeconds();
            if (tpotMet) {
                reasons.tpotMet = true;
                largestMeetingTpot = seqs;
            }
            SchedulerSettings limited = scheduler.with(null, seqs, null);
            SimulationResult.Capacity capacity = Simulation.capacity(profile, limited, load);
            double perReplica = capacity.requestsPerSecondPerReplica();
            double service = 1 / perReplica;
            for (int n = 1; n <= maxReplicas; n++) {
                reasons.configurations++;
                double rho = load.rate() / (n * perReplica);
                // M/D/1 wait per replica (Pollaczek-Khinchine) at the capacity's service time, then the prefill.
                double wait = rho >= 1 ? Double.POSITIVE_INFINITY : rho * service / (2 * (1 - rho));
                double ttft = prefill + wait * 3; // p99 of the wait, roughly 3 x its mean for an exponential tail
                if (tpotMet) {
                    reasons.bestTtft = Math.min(reasons.bestTtft, ttft);
                }
                double miss = Math.max(slo.ttftSeconds() == null ? 0 : ttft / slo.ttftSeconds(),
                        slo.tpotSeconds() == null ? 0 : tpot / slo.tpotSeconds());
                boolean meets = tpotMet && rho <= MAX_UTILIZATION && miss <= 1;
                if (meets && (best == null || n < best.replicas || n == best.replicas && ttft < best.ttft)) {
                    best = new Screened(gpu, s, profile, limited, n, ttft, capacity.stepSecondsAtBatch(), null);
                    bestCapacity = capacity;
                } else if (!meets && best == null && rho < 1 && miss < reasons.closestMiss) {
                    reasons.closestMiss = miss;
                    reasons.closest = new Screened(gpu, s, profile, limited, n, ttft, capacity.stepSecondsAtBatch(),
                            null);
                }
            }
        }
        if (best == null) {
            reasons.outOfGpus |= reasons.tpotMet;
            return null;
        }
        int seqs = best.scheduler.maxSeqs();
        // TPOT is what stops a larger limit when this is the largest that meets it and the KV cache has room for more.
        boolean tpotLimited = seqs == largestMeetingTpot && seqs < ceiling;
        boolean kvLimited = seqs == ceiling && byKv < scheduler.maxSeqs();
        return new Screened(gpu, s, profile, best.scheduler, best.replicas, best.ttft, best.tpot,
                binding(profile, bestCapacity, slo, prefill, held, tpotLimited, kvLimited));
    }

    /**
     * What limits a layout that meets the targets: the TPOT target (when a larger running batch would miss it), the
     * KV cache, a TTFT that is mostly the prompt's own prefill, or what bounds its decode step.
     */
    private static String binding(ServingProfile profile, SimulationResult.Capacity capacity, Slo slo,
                                  double prefill, double held, boolean tpotLimited, boolean kvLimited) {
        if (tpotLimited) {
            return "TPOT-bound at " + capacity.batch() + " sequences";
        }
        if (kvLimited) {
            return "KV-bound at " + capacity.batch() + " sequences";
        }
        if (slo.ttftSeconds() != null && prefill > 0.5 * slo.ttftSeconds()) {
            return "prefill-bound TTFT";
        }
        return profile.stepBound(0, 0, capacity.batch(), held) + "-bound decode";
    }

    /** The layout priced owned (where the GPU has a price) and on the cheapest offer of each pricing kind. */
    private List<Candidate> prices(Screened s, SearchSpace space, Load load) {
        int gpus = s.replicas * s.scenario.hardware().count();
        double tokensPerSecond = load.rate() * load.output().mean();
        return prices.of(s.gpu, gpus, tokensPerSecond, space).stream()
                .map(p -> candidate(s, p.perGpuHourUsd() * gpus * CostEngine.HOURS_PER_MONTH, p.pricing(),
                        tokensPerSecond)).toList();
    }

    private static Candidate candidate(Screened s, double perMonth, String pricing, double tokensPerSecond) {
        Scenario.Parallelism p = s.scenario.parallelism();
        double millionsPerMonth = tokensPerSecond * CostEngine.HOURS_PER_MONTH * 3600 / 1e6;
        return new Candidate(s.gpu.id(), s.scenario.hardware().count(), s.replicas, p.tensor(), p.pipeline(),
                s.scenario.precision().weights().label(),
                kvLabel(s.scenario),
                s.scheduler.maxSeqs(), s.ttft, s.tpot, tokensPerSecond, perMonth,
                millionsPerMonth > 0 ? perMonth / millionsPerMonth : null, pricing, s.binding, true, false, null,
                null, null);
    }

    /** How many near misses are simulated and shown when nothing meets the targets. */
    static final int CLOSEST = 5;

    /**
     * When nothing meets the targets, the configurations that came closest, simulated: over a budget, the cheapest
     * that meet the SLOs and by how much each is over; else each GPU's configuration whose screening figures missed
     * the targets by the least, and what its run misses.
     */
    private List<Candidate> closest(List<Screened> screened, List<Candidate> everyPrice, Map<Screened, Double> misses,
                                    Scenario base, Load load, Slo slo, SearchSpace space, Double budget,
                                    RunLength length, long seed, BooleanSupplier cancelled) {
        if (budget != null && !screened.isEmpty()) {
            List<Candidate> ranked = new ArrayList<>(everyPrice);
            ranked.sort(Comparator.comparingDouble(Candidate::costPerMonthUsd));
            return cheapestPerLayout(confirm(ranked, screened, base, load, slo, space, null, CLOSEST, length, seed,
                    null, cancelled).stream().filter(c -> c.costPerMonthUsd() > budget).map(c -> overBudget(c, budget))
                    .toList());
        }
        List<Screened> nearest = misses.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .limit(CLOSEST).map(Map.Entry::getKey).toList();
        List<Candidate> ranked = new ArrayList<>();
        nearest.forEach(s -> prices(s, space, load).stream().min(Comparator.comparingDouble(Candidate::costPerMonthUsd))
                .ifPresent(ranked::add));
        List<Candidate> runs = cheapestPerLayout(confirm(ranked, nearest, base, load, slo, space, null, CLOSEST,
                length, seed, null, cancelled));
        List<String> order = ranked.stream().map(c -> c.gpu() + "/" + c.tp() + "x" + c.pp() + "/" + c.weights()).toList();
        return runs.stream().sorted(Comparator.comparingInt(c -> order.indexOf(c.gpu() + "/" + c.tp() + "x" + c.pp()
                + "/" + c.weights()))).toList();
    }

    /** One row per layout, its cheapest price, in the order given. */
    private static List<Candidate> cheapestPerLayout(List<Candidate> candidates) {
        Map<String, Candidate> cheapest = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            cheapest.merge(c.layout(), c, (a, b) -> b.costPerMonthUsd() < a.costPerMonthUsd() ? b : a);
        }
        return List.copyOf(cheapest.values());
    }

    private static Candidate overBudget(Candidate c, double budget) {
        return new Candidate(c.gpu(), c.gpusPerReplica(), c.replicas(), c.tp(), c.pp(), c.weights(), c.kvCache(),
                c.maxSeqs(), c.ttftP99Seconds(), c.tpotP99Seconds(), c.outputTokensPerSecond(), c.costPerMonthUsd(),
                c.costPerMillionTokensUsd(), c.pricing(), String.format(Locale.ROOT, "over budget by $%,.0f/month",
                c.costPerMonthUsd() - budget) + (c.meetsSlo() ? "" : "; " + c.bindingConstraint()), c.meetsSlo(),
                c.simulated(), null, null, null);
    }

    /** What a run misses, in words: "misses TTFT p99 2 s: 3.4 s", or why it could not be judged. */
    static String misses(SimulationResult r, Slo slo) {
        if (!r.stable() || r.ttftSeconds() == null) {
            return r.verdict();
        }
        List<String> missed = new ArrayList<>();
        if (slo.ttftSeconds() != null && r.ttftSeconds().p99() > slo.ttftSeconds()) {
            missed.add("TTFT p99 " + Format.time(slo.ttftSeconds()) + ": " + Format.time(r.ttftSeconds().p99()));
        }
        if (slo.tpotSeconds() != null && r.tpotSeconds() != null && r.tpotSeconds().p99() > slo.tpotSeconds()) {
            missed.add("TPOT p99 " + Format.time(slo.tpotSeconds()) + ": " + Format.time(r.tpotSeconds().p99()));
        }
        return "misses " + String.join(", ", missed);
    }

    /**
     * The simulator on the cheapest layouts: each run with the user's length and seed; a layout that misses gets up
     * to {@link #EXTRA_REPLICAS} more replicas. Every price of a layout takes its run's figures.
     */
    private List<Candidate> confirm(List<Candidate> ranked, List<Screened> screened, Scenario base, Load load,
                                    Slo slo, SearchSpace space, Double budget, int confirm, RunLength length,
                                    long seed, Listener listener, BooleanSupplier cancelled) {
        Map<String, Screened> byLayout = new LinkedHashMap<>();
        for (Screened s : screened) {
            byLayout.put(key(s), s);
        }
        List<String> layouts = ranked.stream().map(c -> c.gpu() + "/" + c.tp() + "x" + c.pp() + "/" + c.weights()
                + "/" + c.kvCache()).distinct().limit(Math.max(0, confirm)).toList();
        List<Candidate> out = new ArrayList<>();
        int done = 0;
        for (String layout : layouts) {
            Screened s = byLayout.get(layout);
            SimulationResult best = null;
            int ran = s.replicas; // the replicas of the last run, whose figures the candidate shows
            for (int replicas = s.replicas; replicas <= s.replicas + EXTRA_REPLICAS
                    && replicas <= space.maxGpus() / s.scenario.hardware().count(); replicas++) {
                Simulation.Input input = new Simulation.Input(s.scenario, load, length,
                        ClusterSpec.single().withReplicas(replicas), s.scheduler, slo, seed);
                best = simulation.run(input, null, cancelled);
                ran = replicas;
                if (Simulation.meets(best, slo)) {
                    break;
                }
            }
            done++;
            if (listener != null) {
                listener.update("simulating", done / (double) layouts.size());
            }
            Screened at = new Screened(s.gpu, s.scenario, s.profile, s.scheduler, ran, s.ttft, s.tpot, s.binding);
            boolean meets = Simulation.meets(best, slo);
            for (Candidate c : prices(at, space, load)) {
                if (budget != null && c.costPerMonthUsd() > budget) {
                    continue;
                }
                out.add(new Candidate(c.gpu(), c.gpusPerReplica(), c.replicas(), c.tp(), c.pp(), c.weights(),
                        c.kvCache(), c.maxSeqs(), best.ttftSeconds() == null ? null : best.ttftSeconds().p99(),
                        best.tpotSeconds() == null ? null : best.tpotSeconds().p99(),
                        best.throughput().outputTokensPerSecond(), c.costPerMonthUsd(), c.costPerMillionTokensUsd(),
                        c.pricing(), !meets ? misses(best, slo) : c.bindingConstraint() != null ? c.bindingConstraint()
                        : "meets when simulated (the screen estimated a miss)", meets, true, null, null,
                        null));
            }
        }
        out.sort(Comparator.comparing((Candidate c) -> !c.meetsSlo()).thenComparingDouble(Candidate::costPerMonthUsd));
        return out;
    }

    private static String kvLabel(Scenario s) {
        return s.precision().kvCache() == null ? "auto" : s.precision().kvCache().label();
    }

    private static String key(Screened s) {
        return s.gpu.id() + "/" + s.scenario.parallelism().tensor() + "x" + s.scenario.parallelism().pipeline() + "/"
                + s.scenario.precision().weights().label() + "/" + kvLabel(s.scenario);
    }

    /** Indices of the candidates no other beats on both monthly cost and p99 TTFT (meeting the SLOs only). */
    static List<Integer> pareto(List<Candidate> candidates) {
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate a = candidates.get(i);
            if (!a.meetsSlo() || a.ttftP99Seconds() == null) {
                continue;
            }
            boolean dominated = false;
            for (Candidate b : candidates) {
                if (b != a && b.meetsSlo() && b.ttftP99Seconds() != null
                        && b.costPerMonthUsd() <= a.costPerMonthUsd() && b.ttftP99Seconds() <= a.ttftP99Seconds()
                        && (b.costPerMonthUsd() < a.costPerMonthUsd() || b.ttftP99Seconds() < a.ttftP99Seconds())) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(i);
            }
        }
        return front;
    }

    static boolean computes(Gpu gpu, WeightFormat format) {
        Gpu.DenseTflops t = gpu.denseTflops();
        if (t == null) {
            return true;
        }
        return switch (format.compute()) {
            case FP8 -> t.fp8() != null;
            case FP4 -> t.fp4() != null;
            case BF16 -> t.bf16() != null;
            default -> true;
        };
    }

    private static int domain(Gpu gpu) {
        Integer d = gpu.node() == null ? null : gpu.node().domainGpus();
        return d == null ? 1 : Math.max(1, d);
    }

    private static List<String> assumptions(Load load, Slo slo, SearchSpace space, int confirm) {
        List<String> a = new ArrayList<>();
        a.add(String.format(Locale.ROOT, "Searched: %d GPUs x formats %s x the plan's KV cache type and fp8"
                        + " where the GPU computes in it x tensor splits within each GPU's fast-link domain x pipeline"
                        + " splits across domains, at most %d GPUs", space.gpus().size(),
                space.formats().stream().map(WeightFormat::label).toList(), space.maxGpus()));
        a.add("Screening: each layout's KV block budget from the sizing engine; then every running-sequence limit"
                + " (1 to the runtime's default, steps of about 1.5 x) x replica count, judged on its decode step at"
                + " the full batch (within the TPOT target with 15 % to spare), the capacity at the mean request,"
                + " at most 90 % busy, and an M/D/1 wait (Pollaczek-Khinchine, 3 x the mean for the p99) plus the"
                + " prompt's prefill within the TTFT target; the fewest replicas win, then the lowest TTFT");
        a.add(String.format(Locale.ROOT, "Confirmed: the cheapest %d layouts run in the serving simulator (vLLM 0.11"
                + " scheduler), with up to %d more replicas where a run misses; its p99s are the figures shown",
                confirm, EXTRA_REPLICAS));
        if (space.calibration() != null) {
            a.add(space.calibration().describe() + ": applied to the layouts on that GPU and runtime only");
        }
        a.add("Owned: the cost engine's fixed cost per GPU-hour plus energy at full load, x 730 hours a month; rented:"
                + " the cheapest catalog offer of each pricing kind x 730 hours");
        return a;
    }
}
