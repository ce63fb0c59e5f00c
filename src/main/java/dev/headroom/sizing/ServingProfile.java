package dev.headroom.sizing;

import dev.headroom.common.Format;
import java.util.List;
import java.util.Locale;

/**
 * One serving replica as the simulator sees it: how many KV blocks it holds and how long a mixed continuous-batching
 * step takes. Built once by {@link SizingEngine#servingProfile}; the simulator never re-runs the estimate per step.
 *
 * <p>The block budget follows vLLM's profile run (serving-and-planning.md §2): the runtime may use
 * {@code gpu_memory_utilization} of the GPU; the weights, the activation peak of a forward pass at
 * {@code max_num_batched_tokens} and the fixed overheads come off it; what is left, over the bytes of one block on
 * the most constrained pipeline stage, is the block count. Layers with a window keep fewer tokens per sequence than
 * full-attention layers, so a block's bytes are taken at the workload's mean sequence (the scenario's shape).
 */
public final class ServingProfile {
    private final Scenario scenario;
    private final Estimate estimate;
    private final PerformanceModel.MixedStep step;
    private final int blockTokens;
    private final long kvBlocks;
    private final double bytesPerBlock;
    private final double kvBytesPerGpu;
    private final double nonKvBytesPerGpu;
    private final long usableBytesPerGpu;
    private final double weightBytesPerGpu;
    private final int gpus;
    private final int tensor;
    private final int maxContextTokens;
    private final int maxBatchedTokens;

    ServingProfile(Scenario scenario, Estimate estimate, MemoryModel memory, PerformanceModel speed,
                   ResolvedHardware machine, RuntimeOverheads overheads, int maxBatchedTokens,
                   int maxContextTokens) {
        this.scenario = scenario;
        this.estimate = estimate;
        this.maxBatchedTokens = maxBatchedTokens;
        Scenario.Parallelism parallelism = scenario.parallelism();
        int t = parallelism.tensor();
        int p = parallelism.pipeline();
        this.tensor = t;
        this.gpus = t * p;
        this.step = speed.mixedStep(t, p);
        this.blockTokens = memory.pagedBlock > 0 ? memory.pagedBlock : DEFAULT_BLOCK_TOKENS;
        this.usableBytesPerGpu = (long) (machine.gpuCapacityBytes() * overheads.memoryReservation());
        int reference = Math.max(1, scenario.shape().inputTokens() + scenario.shape().outputTokens());
        double frag = memory.fragmentation;
        long fewest = Long.MAX_VALUE;
        double blockBytes = 0;
        double kvBytes = 0;
        double nonKv = 0;
        double weights = 0;
        for (int stage = 0; stage < p; stage++) {
            MemoryModel.Breakdown b = memory.stage(stage, 1, maxBatchedTokens, 0, t, p);
            double stageNonKv = b.total() - b.kvCache() * (1 + frag);
            double perBlock = memory.stageKvCache(stage, p, 1, reference, 0, t) / reference * blockTokens * (1 + frag);
            double free = Math.max(0, usableBytesPerGpu - stageNonKv);
            long blocks = perBlock <= 0 ? Long.MAX_VALUE / 4 : (long) Math.floor(free / perBlock);
            if (blocks < fewest) {
                fewest = blocks;
                blockBytes = perBlock;
                kvBytes = free;
                nonKv = stageNonKv;
                weights = b.weights();
            }
        }
        this.kvBlocks = fewest;
        this.bytesPerBlock = blockBytes;
        this.kvBytesPerGpu = kvBytes;
        this.nonKvBytesPerGpu = nonKv;
        this.weightBytesPerGpu = weights;
        this.maxContextTokens = maxContextTokens;
    }

    /** vLLM's block size on CUDA when none is set (vllm/platforms/cuda.py). */
    public static final int DEFAULT_BLOCK_TOKENS = 16;

    /**
     * Seconds of one step that computes {@code prefillTokens} prompt tokens at a mean position of
     * {@code prefillPosition}, finishes {@code prefillRequests} prompts (each computes an output-head row) and
     * generates one token for each of {@code decoders} sequences whose mean context is {@code decodeContext}.
     */
    public double stepSeconds(int prefillTokens, double prefillPosition, int prefillRequests, int decoders,
                              double decodeContext) {
        return step.seconds(prefillTokens, prefillPosition, prefillRequests, decoders, decodeContext);
    }

    /** "compute" or "memory": what bounds such a step. */
    public String stepBound(int prefillTokens, double prefillPosition, int decoders, double decodeContext) {
        return step.bound(prefillTokens, prefillPosition, decoders, decodeContext);
    }

    /** The replica's estimate at the workload's mean request (batch 1): fit, memory, assumptions, warnings. */
    public Estimate estimate() {
        return estimate;
    }

    public Scenario scenario() {
        return scenario;
    }

    public int blockTokens() {
        return blockTokens;
    }

    /** KV blocks one replica holds (every GPU of it holds its share of each block). */
    public long kvBlocks() {
        return kvBlocks;
    }

    public double bytesPerBlockPerGpu() {
        return bytesPerBlock;
    }

    public double kvBytesPerGpu() {
        return kvBytesPerGpu;
    }

    /** Weights, the activation peak at the token budget and the fixed overheads, per GPU. */
    public double nonKvBytesPerGpu() {
        return nonKvBytesPerGpu;
    }

    public long usableBytesPerGpu() {
        return usableBytesPerGpu;
    }

    public double weightBytesPerGpu() {
        return weightBytesPerGpu;
    }

    /** GPUs of one replica: tensor x pipeline. */
    public int gpus() {
        return gpus;
    }

    public int tensorParallel() {
        return tensor;
    }

    public String gpuId() {
        return scenario.hardware().gpuId();
    }

    public int maxContextTokens() {
        return maxContextTokens;
    }

    public int maxBatchedTokens() {
        return maxBatchedTokens;
    }

    /** Why the replica cannot serve at all, or null: no KV block is left once the weights and activations are in. */
    public String noBlocksProblem() {
        if (kvBlocks > 0) {
            return null;
        }
        return String.format(Locale.ROOT, "the KV cache gets no blocks: weights, activations at %d batched tokens"
                + " and overheads take %s of the %s usable per GPU; lower --max-batched-tokens, quantize or add GPUs",
                maxBatchedTokens, Format.gib(Math.round(nonKvBytesPerGpu)), Format.gib(usableBytesPerGpu));
    }

    /** The figures behind the block budget, for a simulation's assumptions. */
    public List<String> budgetLines() {
        return List.of(String.format(Locale.ROOT,
                "KV blocks per replica: %d of %d tokens = (usable %s - weights, activations at %d tokens and"
                        + " overheads %s) / %s per block per GPU", kvBlocks, blockTokens, Format.gib(usableBytesPerGpu),
                maxBatchedTokens, Format.gib(Math.round(nonKvBytesPerGpu)), String.format(Locale.ROOT, "%.2f MiB", bytesPerBlock / (1 << 20))));
    }
}
