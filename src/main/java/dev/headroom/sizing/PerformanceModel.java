package dev.headroom.sizing;

import dev.headroom.catalog.Gpu;

/**
 * Speed from a roofline per phase plus communication and a fixed per-step cost (shared/reference/sizing.md §3.6,
 * §3.7): prefill is usually compute-bound, decode bandwidth-bound; tensor parallelism adds two all-reduces per
 * layer in the forward pass (four in training), a pipeline adds its bubble (p - 1) / (m v) and its point-to-point
 * sends, data parallelism the gradient reduction, expert parallelism an all-to-all per MoE layer.
 *
 * <p>Ranks are laid out as Megatron does (tensor innermost, then data, then pipeline): a group whose GPUs sit in one
 * node talks over the GPU link (NVLink inside its domain, PCIe beyond it); one that spans nodes crosses the
 * scale-out network, whose ports a node's GPUs share. NCCL runs one ring per port (rail), so a group with g
 * members on each node moves its cross-node share at g times one GPU's share of the ports, never faster than the
 * GPU link.
 *
 * <p>CPU offload: layers llama.cpp keeps on the CPU are read from host memory at the host bandwidth (their FLOPs
 * counted at no more than the GPU's rate, which a CPU never beats), and their weights cross the host link once
 * per prompt micro-batch, where llama.cpp runs the big matmuls on the GPU; weights vLLM keeps in host memory are
 * read over the host link on every forward pass.
 */
final class PerformanceModel {
    /**
     * What a collective that leaves the node adds to the in-node latency: measured small-message all-reduces across
     * two nodes take 46-48 µs on NDR InfiniBand (NVIDIA/nccl#1244, 2024-04-09), 51-57 µs on AWS p6-b200 EFA
     * (dstackai/dstack#3961), 68-70 µs on p5 EFA (aws/aws-k8s-tester#585), against about 13 µs inside an H100 node;
     * 40 µs on top of the 10 µs in-node figure is taken. A switch's port-to-port latency (sub-µs) is not the number.
     */
    static final double CROSS_NODE_LATENCY = 40e-6;

    private final MemoryModel memory;
    private final ResolvedHardware machine;
    private final double peakFlops;
    private final double bandwidth;
    private final double linkBandwidth;
    private final double pcieBandwidth;
    private final double prefillEfficiency;
    private final double bandwidthEfficiency;
    private final double interconnectEfficiency;
    private final double collectiveLatency;
    private final double launchPerLayer;
    private final double mfu;
    private final double matmulParams;
    private final double outputParams;
    private final double activationBytes;

    PerformanceModel(MemoryModel memory, ResolvedModel model, ResolvedHardware machine, double peakFlops,
                     Efficiencies efficiencies, RuntimeOverheads overheads) {
        Gpu gpu = machine.gpu();
        this.memory = memory;
        this.machine = machine;
        this.peakFlops = peakFlops;
        this.bandwidth = gpu.memory().bandwidthBytesPerSecond();
        this.linkBandwidth = oneWayLinkBandwidth(gpu);
        this.pcieBandwidth = pcieOneWay(gpu.interconnect(), gpu.interconnect().pcieGeneration());
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
        return pcieOneWay(link, link.pcieGeneration());
    }

    /** The GPU's PCIe link in one direction at {@code generation} (16 lanes where the catalog gives none). */
    static double pcieOneWay(Gpu.Interconnect link, int generation) {
        return pcieOneWay(generation, link.pcieLanes() == null ? 16 : link.pcieLanes());
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

    /** A link a collective runs over: its one-way bandwidth, its latency and a name for the estimate. */
    record Link(String name, double bandwidth, double latency) {
    }

    /** The link inside a node for a group spanning {@code span} consecutive GPUs: NVLink in its domain, else PCIe. */
    private Link inNode(int span) {
        Gpu.Interconnect link = machine.gpu().interconnect();
        if (span <= machine.domainGpus() && link.gpuLinkBytesPerSecond() != null) {
            return new Link(link.gpuLink(), linkBandwidth, collectiveLatency);
        }
        return new Link("PCIe Gen" + link.pcieGeneration(), pcieBandwidth, collectiveLatency);
    }

    /**
     * The link of a group of {@code ranks} GPUs placed {@code stride} apart: inside a node while ranks x stride
     * fits in one, else the network, with as many of each node's port shares as the group has members there.
     */
    Link group(int ranks, int stride) {
        long span = (long) ranks * stride;
        int perNode = machine.gpusPerNode();
        if (span <= perNode) {
            return inNode((int) span);
        }
        return acrossNodes(Math.max(1, perNode / stride));
    }

    /**
     * The scale-out network for a group with {@code membersPerNode} GPUs on each node: their port shares together,
     * never faster than the link inside the node, and the cross-node latency on top.
     */
    private Link acrossNodes(int membersPerNode) {
        double inside = inNode(machine.gpusPerNode()).bandwidth();
        return new Link(machine.network().name(), Math.min(inside, membersPerNode * machine.networkShareBytesPerSecond()),
                collectiveLatency + CROSS_NODE_LATENCY);
    }

    /** Ring all-reduce: 2 (r - 1) / r of the message crosses each link, plus a fixed latency. */
    private double allReduce(double bytes, int ranks, Link link) {
        if (ranks <= 1) {
            return 0;
        }
        return link.latency() + 2.0 * (ranks - 1) / ranks * bytes / (link.bandwidth() * interconnectEfficiency);
    }

    /** Time for one message to pass every stage boundary of a p-stage pipeline whose stages are t x d GPUs wide. */
    private double pipelineHops(double bytes, int p, int stageWidth) {
        if (p <= 1) {
            return 0;
        }
        int crossing = crossingBoundaries(p, stageWidth);
        Link inside = inNode(Math.min(machine.gpusPerNode(), 2 * stageWidth));
        Link across = acrossNodes(1);
        double hop = inside.latency() + bytes / (inside.bandwidth() * interconnectEfficiency);
        double crossHop = across.latency() + bytes / (across.bandwidth() * interconnectEfficiency);
        return (p - 1 - crossing) * hop + crossing * crossHop;
    }

    /** Stage boundaries that fall between nodes when stages of {@code stageWidth} GPUs fill nodes in order. */
    private int crossingBoundaries(int p, int stageWidth) {
        int perNode = machine.gpusPerNode();
        if ((long) stageWidth * p <= perNode) {
            return 0;
        }
        int stagesPerNode = Math.max(1, perNode / stageWidth);
        return (p + stagesPerNode - 1) / stagesPerNode - 1;
    }

    /** The link pipeline sends use at their slowest boundary, for the estimate's layout. */
    Link pipelineLink(int p, int stageWidth) {
        if (crossingBoundaries(p, stageWidth) > 0) {
            return acrossNodes(1);
        }
        return inNode(Math.min(machine.gpusPerNode(), 2 * stageWidth));
    }

    /** The link an expert-parallel group of e GPUs uses: the network once it outgrows a node. */
    Link expertLink(int e) {
        return group(e, 1);
    }

    /**
     * Expert-parallel all-to-all of one MoE layer: each rank sends its tokens' hidden vectors to the k experts they
     * route to and gets the results back, (e - 1) / e of them to other ranks; the share beyond the node crosses
     * the network at the GPU's port share.
     */
    private double allToAll(double tokens, int e) {
        if (e <= 1 || memory.moeLayers == 0) {
            return 0;
        }
        double bytes = 2 * tokens * memory.activeExperts * memory.hidden * memory.activationBytes;
        int perNode = machine.gpusPerNode();
        Link inside = inNode(Math.min(e, perNode));
        double sameNode = (Math.min(e, perNode) - 1.0) / e;
        double otherNodes = e > perNode ? (double) (e - perNode) / e : 0;
        double time = inside.latency() + bytes * sameNode / (inside.bandwidth() * interconnectEfficiency);
        if (otherNodes > 0) {
            Link across = acrossNodes(1);
            time += CROSS_NODE_LATENCY + bytes * otherNodes / (across.bandwidth() * interconnectEfficiency);
        }
        return time;
    }

    /** Weight bytes one tensor rank reads for one forward pass through every stage. */
    private double weightsPerRank(int t) {
        return memory.weightBytesRead(memory.stageParams(0, 1, t));
    }

    /**
     * The time of one continuous-batching step of a t x p replica, built once: the serving simulator calls it on
     * every step. Same roofline as {@link #inference}: the step reads the weights once (less the experts none of
     * its tokens routes to) and every decoding sequence's KV; its FLOPs are every token's matmuls plus the
     * attention of each prefill token at its position and of each decoding token at its context; communication is
     * affine in the step's tokens.
     */
    MixedStep mixedStep(int t, int p) {
        return new MixedStep(t, p);
    }

    final class MixedStep {
        private final int t;
        private final double weightRead;
        private final double hostSeconds;
        private final double communicationFixed;
        private final double communicationPerToken;
        private final double launch;

        private MixedStep(int t, int p) {
            this.t = t;
            double hostLink = Math.min(machine.hostLinkBandwidth() * interconnectEfficiency,
                    machine.hostBandwidthPerGpu() * bandwidthEfficiency);
            double hostWeights = p * memory.offloadedBytesPerGpu(t, p);
            this.weightRead = weightsPerRank(t) - hostWeights;
            this.hostSeconds = hostWeights > 0 ? hostWeights / hostLink : 0;
            double one = communication(1, t, p);
            double two = communication(2, t, p);
            this.communicationPerToken = two - one;
            this.communicationFixed = one - communicationPerToken;
            this.launch = memory.layers * launchPerLayer;
        }

        /**
         * @param prefillTokens   prompt tokens computed in this step (chunks of one or more requests)
         * @param prefillPosition their mean position in their sequence (a chunk of n at offset a: a + n / 2)
         * @param prefillRequests requests whose prompt ends in this step (each computes one output-head row)
         * @param decoders        sequences generating one token each
         * @param decodeContext   their mean context in tokens
         */
        double seconds(int prefillTokens, double prefillPosition, int prefillRequests, int decoders,
                       double decodeContext) {
            int tokens = prefillTokens + decoders;
            if (tokens <= 0) {
                return 0;
            }
            return Math.max(computeSeconds(prefillTokens, prefillPosition, prefillRequests, decoders, decodeContext),
                    readSeconds(tokens, decoders, decodeContext))
                    + hostSeconds + communicationFixed + communicationPerToken * tokens + launch;
        }

        /** "compute" when the step's FLOPs take longer than its reads, else "memory". */
        String bound(int prefillTokens, double prefillPosition, int decoders, double decodeContext) {
            return computeSeconds(prefillTokens, prefillPosition, 0, decoders, decodeContext)
                    > readSeconds(prefillTokens + decoders, decoders, decodeContext) ? "compute" : "memory";
        }

        private double computeSeconds(int prefillTokens, double prefillPosition, int prefillRequests, int decoders,
                                      double decodeContext) {
            int tokens = prefillTokens + decoders;
            double flops = 2 * (matmulParams - outputParams) * tokens + 2 * outputParams * (decoders + prefillRequests)
                    + tokens * memory.recurrentWorkPerToken();
            if (prefillTokens > 0) {
                flops += 4.0 * prefillTokens * memory.attentionWork(prefillPosition);
            }
            if (decoders > 0) {
                flops += 4.0 * decoders * memory.attentionWork(decodeContext);
            }
            return flops / (t * peakFlops * prefillEfficiency);
        }

        private double readSeconds(int tokens, int decoders, double decodeContext) {
            double kv = decoders > 0 && memory.hasArchitecture
                    ? memory.kvCache(0, memory.layers, decoders, (int) Math.round(decodeContext), 0, t) : 0;
            double bytes = Math.max(0, weightRead - untouchedExpertBytes(t, tokens, memory.moeLayers)) + kv;
            return bytes / (bandwidth * bandwidthEfficiency);
        }
    }

    /** Tensor all-reduces, pipeline sends and expert all-to-alls of one forward pass of {@code tokens} tokens. */
    private double communication(int tokens, int t, int p) {
        double message = (double) tokens * memory.hidden * activationBytes;
        return 2 * memory.layers * allReduce(message, t, group(t, 1)) + pipelineHops(message, p, t)
                + memory.moeLayers * allToAll((double) tokens / t, memory.expertParallel);
    }

    /** Expert bytes per rank that a decode step at this batch does not touch: E (1 - k/E)^b experts stay cold. */
    private double untouchedExpertBytes(int t, int batch, double moeLayers) {
        if (memory.experts == 0) {
            return 0;
        }
        double shards = memory.expertParallel > 1 ? memory.expertParallel : t;
        double allExperts = memory.expertsPerMoeLayer * moeLayers / shards * memory.expertBits / 8;
        double coldShare = Math.pow(1 - memory.activeExperts / memory.experts, batch);
        return allExperts * coldShare;
    }

    /** Parameters a token multiplies by in these layers: dense ones all, routed experts k of E. */
    private double activeMatmulParams(MemoryModel.StageParams params) {
        double routed = memory.experts == 0 ? 0 : params.experts() * memory.activeExperts / memory.experts;
        return params.linear() + routed + params.output();
    }

    /**
     * @param prefillBound "compute", "memory" or "host-link" (offloaded weights crossing PCIe / NVLink-C2C)
     * @param decodeBound  "compute", "memory", "host-memory" (llama.cpp's CPU layers) or "host-link" (vLLM's
     *                     offloaded weights)
     * @param tensorSeconds, pipelineSeconds, expertSeconds communication of one decode step
     */
    record Inference(double prefillSeconds, String prefillBound, double timePerOutputToken, String decodeBound,
                     double outputTokensPerSecond, double requestLatency, double tensorSeconds,
                     double pipelineSeconds, double expertSeconds) {
    }

    Inference inference(int batch, int inputTokens, int outputTokens, int t, int p) {
        double layers = memory.layers;
        double hidden = memory.hidden;
        Link tensorLink = group(t, 1);
        boolean layerOffload = memory.layerOffload && t == 1 && p == 1;
        // Offloaded weights stream from host memory over the host link: the slower of the two sets the pace, and
        // every GPU of the node streams its share from the same host memory at once.
        double hostLink = Math.min(machine.hostLinkBandwidth() * interconnectEfficiency,
                machine.hostBandwidthPerGpu() * bandwidthEfficiency);

        // QK^T and AV: 4 FLOPs per query, key and unit of width; each query sees the tokens before it, capped by
        // its layer's window, chunk or top-k (MemoryModel.promptAttentionWork averages that over the prompt).
        double prefillFlops = 2 * (matmulParams - outputParams) * batch * inputTokens + 2 * outputParams * batch
                + 4 * batch * inputTokens * memory.promptAttentionWork(inputTokens)
                + batch * inputTokens * memory.recurrentWorkPerToken();
        double prefillCompute = prefillFlops / (t * peakFlops * prefillEfficiency);
        double weightRead = weightsPerRank(t) / (bandwidth * bandwidthEfficiency);
        // Weights held in host memory cross the host link once per forward pass: vLLM's on every pass, llama.cpp's
        // CPU layers once per prompt micro-batch (n_ubatch tokens), for it runs their big matmuls on the GPU.
        // On a unified machine the GPU reads the CPU side's weights where they are: nothing crosses a link.
        double passes = memory.prefillChunk > 0 ? Math.ceil((double) batch * inputTokens / memory.prefillChunk) : 1;
        MemoryModel.StageParams onHost = memory.hostLayers();
        // A tied embedding is the output head: the head on the GPU reads it, the lookup on the CPU does not.
        double tiedLookup = memory.tied && memory.outputOnGpu ? memory.vocab * memory.hidden * memory.embeddingBits / 8 : 0;
        // vLLM: each pipeline stage's GPU keeps its own offloaded bytes, and a token passes every stage in turn.
        double hostWeights = layerOffload ? memory.weightBytesRead(onHost) - tiedLookup
                : p * memory.offloadedBytesPerGpu(t, p);
        double prefillTransfer = layerOffload && machine.gpu().isUnified() ? 0 : passes * hostWeights / hostLink;
        double prefillMessage = (double) batch * inputTokens * hidden * activationBytes;
        double prefillRoof = Math.max(prefillCompute, weightRead);
        double prefill = prefillRoof + prefillTransfer + 2 * layers * allReduce(prefillMessage, t, tensorLink)
                + pipelineHops(prefillMessage, p, t) + layers * launchPerLayer;
        String prefillBound = prefillTransfer > prefillRoof ? "host-link" : prefillCompute >= weightRead ? "compute" : "memory";

        double context = inputTokens + outputTokens / 2.0;
        int kvTokens = outputTokens / 2;
        double attentionFlops = 4 * batch * memory.attentionWork(context) + batch * memory.recurrentWorkPerToken();
        double decodeMemory;
        double decodeCompute;
        double host = 0;
        if (layerOffload) {
            MemoryModel.StageParams onGpu = memory.gpuLayers();
            double gpuShare = layers == 0 ? 1 : (double) onGpu.layers() / memory.layers;
            double gpuRead = memory.weightBytesRead(onGpu) - untouchedExpertBytes(1, batch, onGpu.moeLayers());
            double gpuKv = memory.kvCache(memory.gpuLayerStart, memory.layers, batch, inputTokens, kvTokens, 1);
            decodeMemory = (gpuRead + gpuKv) / (bandwidth * bandwidthEfficiency);
            decodeCompute = (2 * activeMatmulParams(onGpu) * batch + gpuShare * attentionFlops)
                    / (peakFlops * prefillEfficiency);
            double hostRead = hostWeights - untouchedExpertBytes(1, batch, onHost.moeLayers());
            double hostKv = memory.kvCache(0, memory.gpuLayerStart, batch, inputTokens, kvTokens, 1);
            double hostFlops = 2 * activeMatmulParams(onHost) * batch + (1 - gpuShare) * attentionFlops;
            host = (hostRead + hostKv) / (machine.hostBandwidth() * bandwidthEfficiency)
                    + hostFlops / (peakFlops * prefillEfficiency);
        } else {
            double weightsRead = weightsPerRank(t) - untouchedExpertBytes(t, batch, memory.moeLayers) - hostWeights;
            double kvRead = memory.hasArchitecture ? memory.kvCache(0, memory.layers, batch, inputTokens, kvTokens, t) : 0;
            decodeMemory = (Math.max(0, weightsRead) + kvRead) / (bandwidth * bandwidthEfficiency);
            decodeCompute = (2 * matmulParams * batch + attentionFlops) / (t * peakFlops * prefillEfficiency);
            host = hostWeights / hostLink;
        }
        double decodeMessage = batch * hidden * activationBytes;
        double tensorSeconds = 2 * layers * allReduce(decodeMessage, t, tensorLink);
        double pipelineSeconds = pipelineHops(decodeMessage, p, t);
        double expertSeconds = memory.moeLayers * allToAll((double) batch / t, memory.expertParallel);
        double gpuPart = Math.max(decodeMemory, decodeCompute);
        double tpot = gpuPart + host + tensorSeconds + pipelineSeconds + expertSeconds + layers * launchPerLayer;
        String decodeBound = host > gpuPart ? (layerOffload ? "host-memory" : "host-link")
                : decodeCompute > decodeMemory ? "compute" : "memory";
        double prefillExperts = memory.moeLayers * allToAll((double) batch * inputTokens / t, memory.expertParallel);
        prefill += prefillExperts;
        return new Inference(prefill, prefillBound, tpot, decodeBound, batch / tpot, prefill + outputTokens * tpot,
                tensorSeconds, pipelineSeconds, expertSeconds);
    }

    /**
     * @param dataParallelSeconds the gradient all-reduce of one step before any overlap with the backward pass;
     *                            {@code exposedDataSeconds} what outlasts it
     */
    /**
     * @param computeSeconds the step's matrix work at the assumed efficiency, without the pipeline bubble
     * @param bubbleSeconds  the time the pipeline's stages wait for each other: compute x (p - 1) / (m v)
     */
    record Training(double stepSeconds, double tokensPerSecond, double flopsPerToken, double achievedMfu,
                    double tensorSeconds, double pipelineSeconds, double dataParallelSeconds,
                    double exposedDataSeconds, double expertSeconds, double computeSeconds, double bubbleSeconds) {
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
        double tensorComm = t > 1 ? memory.layersOf(0, p) * accumulation * 4 * allReduce(message, t, group(t, 1)) : 0;
        // Each micro-batch crosses every stage boundary forward (activations) and backward (their gradients).
        double pipelineComm = 2 * accumulation * pipelineHops(message, p, t * d) / Math.max(1, p - 1);
        // A stage's MoE layers dispatch and combine forward and backward: twice the forward all-to-alls.
        double expertComm = 2 * accumulation * memory.moeLayers / p
                * allToAll((double) microBatch * sequence / t, memory.expertParallel);
        // Gradient reduction runs bucket by bucket during the backward pass (PyTorch DDP, ZeRO), and ZeRO-3
        // prefetches the next layer's weights during compute: only what outlasts that compute is exposed.
        double backward = compute * 2 / 3;
        Link dataLink = group(d, t);
        double dataParallel = allReduce(gradientBytesPerRank, d, dataLink);
        double dataComm = Math.max(0, dataParallel - backward);
        if (zeroStage == 3 && d > 1) {
            dataComm += Math.max(0, allReduce(weightBytesPerRank, d, dataLink) - compute); // two all-gathers = one all-reduce
        }
        double step = compute * (1 + bubble) + tensorComm + pipelineComm + expertComm + dataComm;
        double tokensPerSecond = tokensPerStep / step;
        double achieved = modelFlopsPerToken * tokensPerSecond / (gpus * peakFlops);
        return new Training(step, tokensPerSecond, flopsPerToken, achieved, tensorComm, pipelineComm, dataParallel,
                dataComm, expertComm, compute, compute * bubble);
    }
}
