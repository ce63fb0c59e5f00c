package dev.headroom.sizing;

import dev.headroom.catalog.Gpu;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The numbers an estimate rests on, in words, with their sources: what the UI's assumptions panel lists. */
final class Assumptions {
    private static final String USER = "user";

    private Assumptions() {
    }

    static Map<String, Estimate.Assumption> of(Scenario scenario, RuntimeProfile profile, MemoryModel memory,
                                               WeightFormat weights, RuntimeOverheads overheads,
                                               Efficiencies efficiencies, ResolvedHardware machine, ComputeRate rate,
                                               double linkBandwidth) {
        // Without a GPU (machine and rate null) only what memory rests on: CUDA's runtime defaults, no speed
        Gpu gpu = machine == null ? null : machine.gpu();
        boolean speed = gpu != null;
        Gpu.Backend backend = gpu == null ? Gpu.Backend.CUDA : gpu.backend();
        Map<String, Estimate.Assumption> map = new LinkedHashMap<>();
        RuntimeOverheads runtimeDefaults = profile.defaults(backend);
        String runtime = "runtime profile " + profile.label() + " on " + backend.name().toLowerCase(java.util.Locale.ROOT)
                + (speed ? "" : " (no GPU given: CUDA assumed)") + " (RuntimeProfile: sizing.md §3.8)";

        map.put("weightFormat", new Estimate.Assumption("Weight format", weights.label(), null,
                weights == scenario.precision().weights() ? USER : "QLoRA stores frozen weights as NF4 with double quantization"));
        map.put("bitsPerWeight", new Estimate.Assumption("Effective bits per weight of the layers", round(memory.layerBits),
                "bits", "block sizes from ggml / GPTQ / bitsandbytes / OCP MX / NVFP4 layouts, plus the tensors kept at"
                        + " higher precision (WeightFormat)"));
        if (memory.experts > 0) {
            map.put("expertBitsPerWeight", new Estimate.Assumption("Effective bits per weight of the routed experts",
                    round(memory.expertBits), "bits", weights.expertsOnly()
                            ? weights.label() + " covers the experts only; attention, router, shared experts and"
                            + " embeddings stay BF16 (gpt-oss release layout, vLLM Mxfp4Config)"
                            : "same format as the other layers"));
            putIf(speed, map, "expertRouting", new Estimate.Assumption("Experts a decode step reads per MoE layer",
                    round(memory.experts * (1 - Math.pow(1 - memory.activeExperts / memory.experts,
                            scenario.workload().isTraining() ? 1 : scenario.shape().batch()))), "experts",
                    "uniform routing: with k of E experts per token and batch b, E x (1 - (1 - k/E)^b) are touched;"
                            + " real routers are skewed, so fewer"));
        }
        if (memory.mtpParams > 0) {
            map.put("multiTokenPrediction", new Estimate.Assumption("Multi-token-prediction modules",
                    "not loaded", null, String.format(java.util.Locale.ROOT, "%,.0f parameters in the checkpoint are"
                            + " left out: vLLM loads them only for MTP speculative decoding, which this estimate"
                            + " does not model", memory.mtpParams)));
        }
        if (memory.recurrentStateElements > 0) {
            map.put("recurrentStateBytes", new Estimate.Assumption("Bytes per element of linear-attention / Mamba states",
                    memory.recurrentStateBytes, "bytes", (memory.recurrentStateDeclared
                            ? "the dtype the config declares for the state (mamba_ssm_dtype)"
                            : "the model dtype, the config declaring none")
                            + "; the convolution window in the model dtype; an FP8 KV cache shrinks neither"));
        }
        map.put("embeddingBits", new Estimate.Assumption("Bits per weight of the embedding", memory.embeddingBits, "bits",
                "formats keep embeddings at 16 bits unless GGUF quantizes them (WeightFormat)"));
        map.put("outputBits", new Estimate.Assumption("Bits per weight of the output head", memory.outputBits, "bits",
                "llama.cpp keeps output.weight at Q6_K; weight-only formats keep it at 16 bits"));
        map.put("kvCacheBytesPerElement", new Estimate.Assumption("KV cache bytes per element", memory.kvBytes, "bytes",
                "KV cache dtype " + scenario.precision().kvCache().label()));
        map.put("activationBytes", new Estimate.Assumption("Activation bytes per element", memory.activationBytes, "bytes",
                "activation dtype " + scenario.precision().activations().label()));
        if (scenario.workload().isTraining()) {
            map.put("gradientBytesPerParameter", new Estimate.Assumption("Gradient bytes per trainable parameter",
                    memory.gradientBytes, "bytes", "fp32 accumulation = Megatron/DeepSpeed's 18 B/param with AdamW;"
                    + " 16-bit = the ZeRO paper's 16 B/param (sizing.md §3.5)"));
            map.put("optimizerBytesPerParameter", new Estimate.Assumption(
                    "Optimizer bytes per trainable parameter (incl. fp32 master weights)", memory.optimizerBytes, "bytes",
                    scenario.training().optimizer().label() + ": ZeRO paper K = 12 for AdamW (sizing.md §3.5)"));
            map.put("modelStateBytesPerParameter", new Estimate.Assumption("Model states per parameter, unsharded",
                    memory.layerBits / 8 + memory.gradientBytes + memory.optimizerBytes, "bytes",
                    "weights + gradients + optimizer states"));
            map.put("zeroStage", new Estimate.Assumption("ZeRO stage", memory.zeroStage, null, USER));
            map.put("recompute", new Estimate.Assumption("Activation recomputation", memory.recompute.label(), null,
                    "Korthikanti et al. 2022, arXiv:2205.05198, Table 2"));
            putIf(speed, map, "mfu", new Estimate.Assumption("Compute efficiency of the training kernels (before communication"
                    + " and bubbles)", efficiencies.mfu(), "fraction of peak", source(scenario.efficiencies().mfu(),
                    "middle of 0.4-0.7 (sizing.md §3.7); end-to-end MFU 38-56 % includes what is modelled on top")));
        } else {
            putIf(speed, map, "prefillEfficiency", new Estimate.Assumption("Compute efficiency of prefill",
                    efficiencies.prefillEfficiency(), "fraction of peak", source(scenario.efficiencies().prefillEfficiency(),
                    "real estimators need 0.4-0.7 (sizing.md §3.7)")));
            putIf(speed, map, "bandwidthEfficiency", new Estimate.Assumption("Memory-bandwidth efficiency of decode",
                    efficiencies.bandwidthEfficiency(), "fraction of peak", source(scenario.efficiencies().bandwidthEfficiency(),
                    "HBM streaming reaches 85-95 % in microbenchmarks; GEMV kernels less (gpus-and-costs.md §0)")));
            map.put("pagedBlockTokens", new Estimate.Assumption("KV cache block", memory.pagedBlock, "tokens",
                    scenario.kvCache().pagedBlockTokens() != null ? USER : runtime));
            map.put("prefillChunkTokens", new Estimate.Assumption("Prompt tokens per prefill pass (0 = whole batch)",
                    memory.prefillChunk, "tokens", source(scenario.overheads().prefillChunkTokens(), runtime)));
            map.put("cudaGraphBytes", new Estimate.Assumption("CUDA graphs", memory.cudaGraphs, "bytes",
                    source(scenario.overheads().cudaGraphBytes(), runtime)));
            putIf(speed, map, "launchSecondsPerLayer", new Estimate.Assumption("Host overhead per layer and decode step",
                    overheads.launchSecondsPerLayer(), "seconds", source(scenario.overheads().launchSecondsPerLayer(),
                    runtime)));
        }
        putIf(speed, map, "interconnectEfficiency", new Estimate.Assumption("Interconnect efficiency",
                efficiencies.interconnectEfficiency(), "fraction of link bandwidth",
                source(scenario.efficiencies().interconnectEfficiency(), "NCCL bus bandwidth on NVLink")));
        putIf(speed, map, "collectiveLatencySeconds", new Estimate.Assumption("Latency per collective",
                efficiencies.collectiveLatencySeconds(), "seconds",
                source(scenario.efficiencies().collectiveLatencySeconds(), "NCCL small-message latency in a node")));
        map.put("cudaContextBytes", new Estimate.Assumption("CUDA context", overheads.cudaContextBytes(), "bytes",
                source(scenario.overheads().cudaContextBytes(), backend == Gpu.Backend.METAL
                        ? "Metal has no CUDA context: its buffers are views of the mapped weights (llama.cpp #5206)"
                        : backend == Gpu.Backend.CUDA ? "PyTorch with lazy loading: 287,047,680 B (pytorch PR #86509)"
                        : "[assumed] the CUDA figure (287,047,680 B): no HIP / Gaudi measurement is published")));
        map.put("singleGpuWorkspaceBytes", new Estimate.Assumption("Workspaces on one GPU", memory.workspace, "bytes",
                source(scenario.overheads().workspaceBytes(), "vLLM non_torch_memory 0.07 GiB single GPU")));
        map.put("multiGpuWorkspaceBytes", new Estimate.Assumption("Workspaces with NCCL", memory.multiGpuWorkspace, "bytes",
                source(scenario.overheads().multiGpuWorkspaceBytes(), "vLLM logs: up to 1.96 GiB with TP")));
        map.put("fragmentation", new Estimate.Assumption("Allocator fragmentation", memory.fragmentation,
                "fraction of allocations", source(scenario.overheads().fragmentation(), runtime + "; 5-10 % for eager PyTorch")));
        map.put("memoryReservation", new Estimate.Assumption("Share of the GPU the runtime uses",
                overheads.memoryReservation(), "fraction", source(scenario.overheads().memoryReservation(),
                runtimeDefaults.memoryReservation() < 1 ? runtime + ": gpu_memory_utilization" : runtime)));
        if (!speed) {
            map.values().removeIf(a -> a.value() == null);
            return Collections.unmodifiableMap(map);
        }
        map.put("peakTflops", new Estimate.Assumption("Dense peak used", round(rate.flops() / 1e12), "TFLOPS",
                gpu.name() + " catalog entry (dense, no sparsity)"));
        map.put("computePrecision", new Estimate.Assumption("Precision the matrix multiplications run at",
                rate.precision(), null, rate.basis()));
        map.put("memoryBandwidth", new Estimate.Assumption("Memory bandwidth", gpu.memory().bandwidthBytesPerSecond(),
                "bytes/s", gpu.name() + " catalog entry"));
        map.put("linkBandwidth", new Estimate.Assumption("GPU-to-GPU bandwidth, one direction", linkBandwidth, "bytes/s",
                gpu.interconnect().gpuLink() != null ? gpu.interconnect().gpuLink() + " (catalog total / 2)"
                        : "PCIe Gen" + gpu.interconnect().pcieGeneration()));
        hardware(map, scenario, machine);
        map.values().removeIf(a -> a.value() == null);
        return Collections.unmodifiableMap(map);
    }

    /** The machine's figures: nodes, network, host memory and its bandwidth, a unified machine's GPU share. */
    private static void hardware(Map<String, Estimate.Assumption> map, Scenario scenario, ResolvedHardware machine) {
        Scenario.Hardware hardware = scenario.hardware();
        Gpu gpu = machine.gpu();
        if (gpu.unifiedMemory() != null) {
            map.put("unifiedGpuShare", new Estimate.Assumption("Share of the unified memory the GPU may use",
                    round((double) machine.gpuCapacityBytes() / gpu.memory().bytes()), "fraction",
                    source(hardware.unifiedGpuShare(), gpu.name() + " catalog entry (unifiedMemory.defaultGpuShare)")));
        }
        map.put("gpusPerNode", new Estimate.Assumption("GPUs per node", machine.gpusPerNode(), null,
                source(hardware.nodes().gpusPerNode(), "the plan's GPUs, up to the catalog's node.gpusPerNode ("
                        + gpu.node().gpusPerNode() + ")")));
        map.put("nodes", new Estimate.Assumption("Nodes", machine.nodes(), null,
                source(hardware.nodes().nodes(), "GPUs / GPUs per node, rounded up")));
        map.put("networkBandwidthPerGpu", new Estimate.Assumption("Scale-out bandwidth per GPU, one direction",
                machine.networkShareBytesPerSecond(), "bytes/s", machine.network().name() + " x "
                        + Math.min(gpu.node().nicsPerNode(), machine.gpusPerNode()) + " ports per node / "
                        + machine.gpusPerNode() + " GPUs (" + source(hardware.nodes().network(), "catalog node.network") + ")"));
        if (scenario.hardware().offload().any() || gpu.isUnified()) {
            map.put("hostMemoryBytes", new Estimate.Assumption("Host memory per node", machine.hostCapacityBytes(),
                    "bytes", source(hardware.offload().hostMemoryBytes(), machine.hostName())));
            map.put("hostBandwidth", new Estimate.Assumption("Host memory bandwidth (at most the GPU's)",
                    machine.hostBandwidth(), "bytes/s", source(hardware.offload().hostBandwidth(), machine.hostName())));
            map.put("hostLinkBandwidth", new Estimate.Assumption("CPU-to-GPU link, one direction",
                    machine.hostLinkBandwidth(), "bytes/s", gpu.interconnect().hostLinkBytesPerSecond() != null
                            ? "NVLink-C2C (catalog total / 2)"
                            : "PCIe at the older of the GPU's (Gen" + gpu.interconnect().pcieGeneration()
                            + ") and the host CPU's generation"));
        }
    }

    /** Speed's assumptions only where there is speed: an estimate without a GPU has none. */
    private static void putIf(boolean applies, Map<String, Estimate.Assumption> map, String key,
                              Estimate.Assumption assumption) {
        if (applies) {
            map.put(key, assumption);
        }
    }

    private static String source(Object override, String defaultSource) {
        return override != null ? USER : defaultSource;
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
