package dev.headroom.cli;

import picocli.CommandLine.Option;

/**
 * The flags that place a scenario on hardware: the GPU, how many, nodes and network, offload, and the parallel
 * split. {@code size} and {@code simulate} take them; {@code recommend} searches them instead.
 */
final class HardwareOptions {
    /** No flags given: what a command without these flags passes. */
    static final HardwareOptions NONE = new HardwareOptions();

    @Option(names = "--tp") Integer tp;
    @Option(names = "--pp") Integer pp;
    @Option(names = "--dp") Integer dp;
    @Option(names = "--virtual-stages") Integer virtualStages;
    @Option(names = "--expert-parallel") Integer expertParallel;

    @Option(names = "--gpu", paramLabel = "ID") String gpu;
    @Option(names = "--gpus", paramLabel = "N") Integer gpus;
    @Option(names = "--nodes", paramLabel = "N", description = "Nodes (default: GPUs / GPUs per node, rounded up).")
    Integer nodes;
    @Option(names = "--gpus-per-node", paramLabel = "N", description = "GPUs per node (default: up to what one of the GPU's nodes holds: 8 HGX, 72 NVL72).")
    Integer gpusPerNode;
    @Option(names = "--network", paramLabel = "ID", description = "Scale-out network between nodes ('headroom catalog list networks'; default: the GPU's).")
    String network;
    @Option(names = "--gpu-layers", paramLabel = "N", description = "llama.cpp -ngl: the last N layers (the output head counts as one) on the GPU, the rest on the CPU.")
    Integer gpuLayers;
    @Option(names = "--cpu-offload-gb", paramLabel = "GiB", description = "vLLM --cpu-offload-gb: weight GiB per GPU kept in host memory, read over PCIe every pass.")
    Double cpuOffloadGb;
    @Option(names = "--host-memory", paramLabel = "GiB", description = "Host memory per node (default: the GPU's host platform, or what a unified machine's GPU share leaves).")
    Double hostMemoryGib;
    @Option(names = "--host-bandwidth", paramLabel = "GB/s", description = "Host memory bandwidth (default: the host platform's, e.g. dual-channel DDR5-5600 = 89.6).")
    Double hostBandwidthGbps;
    @Option(names = "--unified-gpu-share", paramLabel = "F", description = "Unified-memory machines: share of the memory the GPU may use (macOS raises it with sysctl iogpu.wired_limit_mb).")
    Double unifiedGpuShare;

    /** --gpus, or --nodes x --gpus-per-node when only those are given. */
    Integer gpusGiven() {
        if (gpus != null || nodes == null || gpusPerNode == null || nodes < 1 || gpusPerNode < 1) {
            return gpus;
        }
        return (int) Math.min(Integer.MAX_VALUE, (long) nodes * gpusPerNode);
    }
}
