package dev.headroom.planner;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.common.Format;
import dev.headroom.cost.CostEngine;
import dev.headroom.sizing.Estimate;
import dev.headroom.sizing.Recompute;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.ScenarioException;
import dev.headroom.sizing.SizingEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cheapest layouts that train a model on a number of tokens by a deadline: every GPU x count x tensor /
 * pipeline / data split x ZeRO stage x recomputation x micro-batch (accumulation from the global batch) sized with the
 * engine, each with its checkpoint plan and the time lost to failures in its total.
 */
public final class TrainingPlanner {
    /**
     * Llama 3 (Dubey et al. 2024, §3.3.4): 419 unexpected interruptions in 54 days of pre-training on 16,384 H100s,
     * i.e. 419 / (54 x 24 x 16,384) = 1.97e-5 per GPU-hour.
     */
    public static final double FAILURES_PER_GPU_HOUR = 419.0 / (54 * 24 * 16_384.0);
    /**
     * Llama 3's Tectonic storage sustained 2 TB/s for 16,384 GPUs (§3.3.1): about 122 MB/s per GPU, the default share a
     * job of N GPUs gets.
     */
    public static final double STORAGE_BYTES_PER_SECOND_PER_GPU = 2e12 / 16_384;
    /** Re-scheduling and initialising the job after a failure, besides reading the checkpoint back (an assumption). */
    public static final double RESTART_SECONDS = 300;
    static final int[] COUNTS = {8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};
    static final int[] SPLITS = {1, 2, 4, 8, 16};
    static final int[] MICRO_BATCHES = {1, 2, 4, 8};

    private final Catalog catalog;
    private final SizingEngine engine;
    private final GpuHourPrices prices;

    public TrainingPlanner(Catalog catalog) {
        this.catalog = catalog;
        this.engine = new SizingEngine(catalog);
        this.prices = new GpuHourPrices(catalog);
    }

    /** The checkpoint plan of one layout. */
    record Checkpoints(double bytes, double writeSeconds, double intervalHours, double interruptions,
                       double lostHours) {
    }

    /**
     * @param base           the model, precision and workload (pretrain or finetune) with its sequence length
     * @param tokens         tokens to train on
     * @param globalBatch    sequences per optimizer step
     * @param storageBytesPerSecond null: {@link #STORAGE_BYTES_PER_SECOND_PER_GPU} x the job's GPUs
     */
    public Recommendation plan(Scenario base, double tokens, double deadlineDays, int globalBatch, SearchSpace space,
                               Double budgetPerMonth, Double storageBytesPerSecond) {
        List<String> problems = new ArrayList<>();
        if (!base.workload().isTraining()) {
            problems.add("workload = " + base.workload().label() + ": training plans need --workload pretrain or finetune");
        }
        dev.headroom.common.Ranges.optional(problems, "train-tokens", tokens, 1, 1e16);
        dev.headroom.common.Ranges.optional(problems, "deadline-days", deadlineDays, 0.01, 3650);
        dev.headroom.common.Ranges.optional(problems, "global-batch", globalBatch, 1, 1 << 24);
        dev.headroom.common.Ranges.optional(problems, "storage-bandwidth", storageBytesPerSecond, 1e6, 1e15);
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        List<Candidate> out = new ArrayList<>();
        Map<String, String> whyNot = new LinkedHashMap<>();
        long screened = 0;
        for (Gpu gpu : space.gpus()) {
            double fastest = Double.POSITIVE_INFINITY;
            boolean fitted = false;
            List<Candidate> mine = new ArrayList<>();
            for (int n : COUNTS) {
                if (n > space.maxGpus()) {
                    break;
                }
                for (int tp : SPLITS) {
                    for (int pp : SPLITS) {
                        if (n % (tp * pp) != 0 || tp > domain(gpu)) {
                            continue;
                        }
                        int dp = n / (tp * pp);
                        for (int zero : new int[] {1, 3}) {
                            for (Recompute recompute : new Recompute[] {Recompute.SELECTIVE, Recompute.FULL}) {
                                for (int micro : MICRO_BATCHES) {
                                    if (globalBatch % ((long) dp * micro) != 0) {
                                        continue;
                                    }
                                    screened++;
                                    Scenario s = layout(base, gpu, n, tp, pp, dp, zero, recompute, micro,
                                            globalBatch / (dp * micro), tokens);
                                    Estimate e;
                                    try {
                                        e = engine.estimate(s);
                                    } catch (ScenarioException ex) {
                                        continue;
                                    }
                                    if (!e.fit().fits() || e.performance().trainingDays() == null) {
                                        continue;
                                    }
                                    fitted = true;
                                    Checkpoints c = checkpoints(e, s, n, storageBytesPerSecond);
                                    double days = e.performance().trainingDays() + c.lostHours / 24;
                                    fastest = Math.min(fastest, days);
                                    if (days <= deadlineDays) {
                                        mine.addAll(prices(gpu, s, e, c, days, space));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // The cheapest of each GPU and pricing: one line each, the rest are the same GPUs split otherwise.
            Map<String, Candidate> best = new LinkedHashMap<>();
            for (Candidate c : mine) {
                best.merge(c.pricing(), c, (a, b) -> runCost(a) <= runCost(b) ? a : b);
            }
            List<Candidate> kept = best.values().stream().filter(c -> budgetPerMonth == null
                    || c.costPerMonthUsd() <= budgetPerMonth).toList();
            out.addAll(kept);
            if (kept.isEmpty()) {
                whyNot.put(gpu.id(), !fitted ? "does not fit at any split up to " + space.maxGpus() + " GPUs"
                        : !Double.isFinite(fastest) || fastest > deadlineDays ? String.format(Locale.ROOT,
                        "misses the deadline: %.1f days at best on up to %d GPUs", fastest, space.maxGpus())
                        : mine.isEmpty() ? "no price in the catalog" : "over budget");
            }
        }
        out.sort(Comparator.comparingDouble(TrainingPlanner::runCost));
        List<String> assumptions = List.of(
                String.format(Locale.ROOT, "Searched: GPU counts %s up to %d, tensor x pipeline splits within each"
                        + " GPU's fast-link domain, ZeRO 1 or 3, selective or full recomputation, micro-batches %s with"
                        + " the accumulation the global batch of %d sequences leaves", java.util.Arrays.toString(COUNTS),
                        space.maxGpus(), java.util.Arrays.toString(MICRO_BATCHES), globalBatch),
                String.format(Locale.ROOT, "Failures: %.3g per GPU-hour (Llama 3: 419 unexpected interruptions in 54"
                        + " days on 16,384 H100s); each costs half a checkpoint interval of work plus the checkpoint's"
                        + " read and %.0f s to restart (an assumption)", FAILURES_PER_GPU_HOUR, RESTART_SECONDS),
                "Checkpoints: weights and optimizer states, written at " + (storageBytesPerSecond == null
                        ? "122 MB/s per GPU (Llama 3's 2 TB/s Tectonic for 16,384 GPUs)"
                        : Format.gbPerSecond(storageBytesPerSecond)) + ", every sqrt(2 x write time x MTBF)"
                        + " (Young/Daly); the writes are in the total",
                "Cost: the run's GPU-hours owned (fixed cost plus energy at full load) or at the cheapest offer of each"
                        + " pricing kind; costPerMonthUsd is the same GPUs for 730 hours",
                "Dataset: " + datasetLine(base, tokens));
        return new Recommendation(out, List.of(), whyNot.entrySet().stream()
                .map(e -> new Rejection(e.getKey(), e.getValue())).toList(), screened, 0, assumptions, List.of());
    }

    private static Scenario layout(Scenario base, Gpu gpu, int n, int tp, int pp, int dp, int zero, Recompute recompute,
                                   int micro, int accumulation, double tokens) {
        Scenario.Training t = base.training();
        Scenario.Parallelism p = base.parallelism();
        return base.withTraining(new Scenario.Training(t.method(), t.loraRank(), t.loraTargets(), t.optimizer(),
                        t.gradientPrecision(), t.masterWeights(), micro, accumulation, tokens, recompute))
                .withParallelism(new Scenario.Parallelism(tp, pp, dp, p.virtualStages(), p.expertParallel(), zero,
                        p.sequenceParallel(), p.offloadOptimizer(), p.flashAttention(), p.dropout()))
                .withHardware(new Scenario.Hardware(gpu.id(), n));
    }

    /** Checkpoint size, write time, the Young/Daly interval and what failures cost over the run. */
    static Checkpoints checkpoints(Estimate e, Scenario s, int gpus, Double storageBytesPerSecond) {
        Scenario.Parallelism p = s.parallelism();
        int modelParallel = p.tensor() * p.pipeline();
        int dp = p.data();
        boolean shardedStates = p.zeroStage() != null && p.zeroStage() >= 1;
        boolean shardedWeights = p.zeroStage() != null && p.zeroStage() >= 3;
        long optimizer = e.memory().optimizerStatesBytes() == null ? 0 : e.memory().optimizerStatesBytes();
        double bytes = (double) e.memory().weightsBytes() * modelParallel * (shardedWeights ? dp : 1)
                + (double) optimizer * modelParallel * (shardedStates ? dp : 1);
        double bandwidth = storageBytesPerSecond != null ? storageBytesPerSecond
                : STORAGE_BYTES_PER_SECOND_PER_GPU * gpus;
        double write = bytes / bandwidth;
        double mtbfSeconds = 3600 / (FAILURES_PER_GPU_HOUR * gpus);
        double interval = Math.sqrt(2 * write * mtbfSeconds); // Young (1974), Daly (2006) first order
        double computeHours = e.performance().trainingDays() * 24;
        double writesHours = computeHours * 3600 / interval * write / 3600;
        double interruptions = FAILURES_PER_GPU_HOUR * gpus * (computeHours + writesHours);
        double lostHours = writesHours + interruptions * (interval / 2 + write + RESTART_SECONDS) / 3600;
        return new Checkpoints(bytes, write, interval / 3600, interruptions, lostHours);
    }

    private List<Candidate> prices(Gpu gpu, Scenario s, Estimate e, Checkpoints c, double days, SearchSpace space) {
        return prices.of(gpu, s.hardware().count(), null, space).stream()
                .map(p -> candidate(gpu, s, e, c, days, p.perGpuHourUsd(), p.pricing())).toList();
    }

    private static Candidate candidate(Gpu gpu, Scenario s, Estimate e, Checkpoints c, double days,
                                       double perGpuHour, String pricing) {
        Scenario.Parallelism p = s.parallelism();
        int n = s.hardware().count();
        double tokensPerSecond = e.performance().trainingTokensPerSecond();
        double runCost = perGpuHour * n * days * 24;
        return new Candidate(gpu.id(), p.tensor() * p.pipeline(), p.data(), p.tensor(), p.pipeline(),
                s.precision().weights() == null ? "bf16" : s.precision().weights().label(), "n/a",
                s.training().microBatch(), null, null, tokensPerSecond, perGpuHour * n * CostEngine.HOURS_PER_MONTH,
                runCost / (s.training().trainTokens() / 1e6), pricing, String.format(Locale.ROOT,
                "ZeRO-%d, %s recomputation, micro-batch %d x %d accumulation; checkpoint %s every %.1f h",
                p.zeroStage(), s.training().recompute().label(), s.training().microBatch(),
                s.training().gradientAccumulation(), Format.gib((long) c.bytes), c.intervalHours),
                true, false, days, c.intervalHours, c.interruptions);
    }

    /** The run's cost: $/month over 730 hours x the run's hours. */
    static double runCost(Candidate c) {
        return c.costPerMonthUsd() / CostEngine.HOURS_PER_MONTH * c.trainingDays() * 24;
    }

    private String datasetLine(Scenario base, double tokens) {
        Integer vocab = base.model().architecture() != null ? base.model().architecture().vocabSize()
                : base.model().catalogId() == null ? null
                : catalog.model(base.model().catalogId()).map(m -> m.architecture().vocabSize()).orElse(null);
        int bytes = vocab != null && vocab <= 65_536 ? 2 : 4;
        return String.format(Locale.ROOT, "%.3g tokens x %d bytes per token id (%s) = %s of tokenized data",
                tokens, bytes, bytes == 2 ? "uint16: the vocabulary fits 65,536" : "uint32: the vocabulary is larger"
                        + " than 65,536", Format.gib((long) Math.min(Long.MAX_VALUE, tokens * bytes)));
    }

    private static int domain(Gpu gpu) {
        Integer d = gpu.node() == null ? null : gpu.node().domainGpus();
        return d == null ? 1 : Math.max(1, d);
    }
}
