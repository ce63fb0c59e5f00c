package dev.headroom.sizing;

import dev.headroom.catalog.Gpu;

/**
 * Speed from a roofline per phase plus communication and a fixed per-step cost (shared/reference/sizing.md §3.6,
 * §3.7): prefill is usually compute-bound, decode bandwidth-bound; tensor parallelism adds two all-reduces per
 * layer in the forward pass (four in training), a pipeline adds its bubble (p - 1) / (m v), data parallelism
 * the gradient reduction. All links are the GPU's own (NVLink or PCIe); traffic between nodes is not modelled.
 */
final class PerformanceModel {
    private final MemoryModel memory;
    private final double peakFlops;
    private final double bandwidth;
    private final double linkBandwidth;
    private final double prefillEfficiency;
    private final double bandwidthEfficiency;
    private final double interconnectEfficiency;
    private final double collectiveLatency;
    private final double launchPerLayer;
    private final double mfu;
    private final double matmulParams;
    private final double outputParams;
    private final double activationBytes;

    PerformanceModel(MemoryModel memory, ResolvedModel model, Gpu gpu, double peakFlops, Efficiencies efficiencies,
                     RuntimeOverheads overheads) {
        this.memory = memory;
        this.peakFlops = peakFlops;
        this.bandwidth = gpu.memory().bandwidthBytesPerSecond();
        this.linkBandwidth = oneWayLinkBandwidth(gpu);
        this.prefillEfficiency = efficiencies.prefillEfficiency();
        this.bandwidthEfficiency = efficiencies.bandwidthEfficiency();
        this.interconnectEfficiency = efficiencies.interconnectEfficiency();
        this.collectiveLatency = efficiencies.collectiveLatencySeconds();
        this.launchPerLayer = overheads.launchSecondsPerLayer();
        this.mfu = efficiencies.mfu();
        this.outputParams = memory.vocab * memory.hidden;
        // Matmul parameters a token passes through: everything but the embedding lookup, plus the output head
        // (tied or not, it is a V x h matmul).
        this.matmulParams = model.hasArchitecture()
                ? model.activeParameters() - model.count().embedding() + outputParams
                : model.activeParameters();
        this.activationBytes = memory.activationBytes;
    }

    /** One direction of the GPU's fastest link. NVLink figures in the catalog are both directions together. */
    static double oneWayLinkBandwidth(Gpu gpu) {
        Gpu.Interconnect link = gpu.interconnect();
        if (link.gpuLinkBytesPerSecond() != null) {
            return link.gpuLinkBytesPerSecond() / 2;
        }
        return pcieOneWay(link.pcieGeneration(), link.pcieLanes() == null ? 16 : link.pcieLanes());
    }

    /** PCIe payload bandwidth per direction: 0.985 GB/s per Gen3 lane, doubling each generation. */
    static double pcieOneWay(int generation, int lanes) {
        double perLane = switch (generation) {
            case 1 -> 0.25e9;
            case 2 -> 0.5e9;
            case 3 -> 0.985e9;
            case 4 -> 1.969e9;
            case 5 -> 3.938e9;
            default -> 7.563e9;
        };
        return perLane * lanes;
    }

    double linkBandwidth() {
        return linkBandwidth;
    }

    /** Ring all-reduce: 2 (r - 1) / r of the message crosses each link, plus a fixed latency. */
    private double allReduce(double bytes, int ranks) {
        if (ranks <= 1) {
            return 0;
        }
        return collectiveLatency + 2.0 * (ranks - 1) / ranks * bytes / (linkBandwidth * interconnectEfficiency);
    }

    private double pipelineHops(double bytes, int p) {
        return p <= 1 ? 0 : (p - 1) * (collectiveLatency + bytes / (linkBandwidth * interconnectEfficiency));
    }

    /** Weight bytes one tensor rank reads for one forward pass through every stage. */
    private double weightsPerRank(int t) {
        return memory.weightBytesRead(memory.stageParams(0, 1, t));
    }

    /** Expert bytes per rank that a decode step at this batch does not touch: E (1 - k/E)^b experts stay cold. */
    private double untouchedExpertBytes(int t, int batch) {
        if (memory.experts == 0) {
            return 0;
        }
        double moeLayers = memory.moeLayers;
        double shards = memory.expertParallel > 1 ? memory.expertParallel : t;
        double allExperts = memory.expertsPerMoeLayer * moeLayers / shards * memory.expertBits / 8;
        double coldShare = Math.pow(1 - memory.activeExperts / memory.experts, batch);
        return allExperts * coldShare;
    }

    record Inference(double prefillSeconds, boolean prefillComputeBound, double timePerOutputToken,
                     boolean decodeComputeBound, double outputTokensPerSecond, double requestLatency) {
    }

    Inference inference(int batch, int inputTokens, int outputTokens, int t, int p) {
        double layers = memory.layers;
        double hidden = memory.hidden;

        // QK^T and AV: 4 FLOPs per query, key and unit of width; each query sees the tokens before it, capped by
        // its layer's window, chunk or top-k (MemoryModel.promptAttentionWork averages that over the prompt).
        double prefillFlops = 2 * (matmulParams - outputParams) * batch * inputTokens + 2 * outputParams * batch
                + 4 * batch * inputTokens * memory.promptAttentionWork(inputTokens)
                + batch * inputTokens * memory.recurrentWorkPerToken();
        double prefillCompute = prefillFlops / (t * peakFlops * prefillEfficiency);
        double weightRead = weightsPerRank(t) / (bandwidth * bandwidthEfficiency);
        double prefillMessage = (double) batch * inputTokens * hidden * activationBytes;
        double prefill = Math.max(prefillCompute, weightRead) + 2 * layers * allReduce(prefillMessage, t)
                + pipelineHops(prefillMessage, p) + layers * launchPerLayer;

        double context = inputTokens + outputTokens / 2.0;
        double weightsRead = weightsPerRank(t) - untouchedExpertBytes(t, batch);
        double kvRead = memory.hasArchitecture ? memory.kvCache(0, memory.layers, batch, inputTokens, outputTokens / 2, t) : 0;
        double decodeMemory = (weightsRead + kvRead) / (bandwidth * bandwidthEfficiency);
        double decodeFlops = 2 * matmulParams * batch + 4 * batch * memory.attentionWork(context)
                + batch * memory.recurrentWorkPerToken();
        double decodeCompute = decodeFlops / (t * peakFlops * prefillEfficiency);
        double decodeMessage = batch * hidden * activationBytes;
        double tpot = Math.max(decodeMemory, decodeCompute) + 2 * layers * allReduce(decodeMessage, t)
                + pipelineHops(decodeMessage, p) + layers * launchPerLayer;
        return new Inference(prefill, prefillCompute >= weightRead, tpot, decodeCompute > decodeMemory,
                batch / tpot, prefill + outputTokens * tpot);
    }

    record Training(double stepSeconds, double tokensPerSecond, double flopsPerToken, double achievedMfu) {
    }

    /**
     * @param flopsFactor 6 for full training (forward 2 + backward 4 per parameter and token), 4 when the weights
     *                    are frozen (LoRA: no weight gradients), plus 2 with full recomputation
     */
    Training training(int microBatch, int sequence, int t, int p, int d, int accumulation, int virtualStages,
                      double flopsFactor, Recompute recompute, int zeroStage, double gradientBytesPerRank,
                      double weightBytesPerRank) {
        double attention = memory.hasArchitecture
                ? 4 * memory.promptAttentionWork(sequence) + memory.recurrentWorkPerToken() : 0;
        double attentionPasses = recompute == Recompute.FULL ? 4 : recompute == Recompute.SELECTIVE ? 4 : 3;
        double flopsPerToken = flopsFactor * matmulParams + attentionPasses * attention;
        double modelFlopsPerToken = (flopsFactor - (recompute == Recompute.FULL ? 2 : 0)) * matmulParams + 3 * attention;
        double gpus = (double) t * p * d;
        double tokensPerStep = (double) microBatch * accumulation * d * sequence;
        double compute = flopsPerToken * tokensPerStep / (gpus * peakFlops * mfu);
        double bubble = p > 1 ? (p - 1.0) / (accumulation * virtualStages) : 0;
        double message = (double) microBatch * sequence * memory.hidden * activationBytes;
        double tensorComm = t > 1 ? memory.layersOf(0, p) * accumulation * 4 * allReduce(message, t) : 0;
        // Gradient reduction runs bucket by bucket during the backward pass (PyTorch DDP, ZeRO), and ZeRO-3
        // prefetches the next layer's weights during compute: only what outlasts that compute is exposed.
        double backward = compute * 2 / 3;
        double dataComm = Math.max(0, allReduce(gradientBytesPerRank, d) - backward);
        if (zeroStage == 3 && d > 1) {
            dataComm += Math.max(0, allReduce(weightBytesPerRank, d) - compute); // two all-gathers = one all-reduce
        }
        double step = compute * (1 + bubble) + tensorComm + dataComm;
        double tokensPerSecond = tokensPerStep / step;
        double achieved = modelFlopsPerToken * tokensPerSecond / (gpus * peakFlops);
        return new Training(step, tokensPerSecond, flopsPerToken, achieved);
    }
}
