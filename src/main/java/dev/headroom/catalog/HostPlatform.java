package dev.headroom.catalog;

import java.util.List;

/**
 * The CPU side of a machine that holds GPUs: how much memory it typically has and how fast the CPU reads it.
 * CPU offload (llama.cpp's layers on the CPU, vLLM's weights in pinned host memory) is sized and timed from it.
 *
 * @param memoryBytes             a typical installed memory, the default the user overrides with --host-memory
 * @param bandwidthBytesPerSecond theoretical peak: channels x 8 bytes x transfers per second
 * @param gpusPerHost             GPUs one such host serves where a node has several (a Grace feeds 2 GPUs, so a
 *                                GB200 NVL72 rack has 36); null when one host serves the whole node
 * @param pcieGeneration          the CPU's PCIe generation: a Gen6 GPU in a Gen5 server moves Gen5 bytes
 */
public record HostPlatform(String id, String name, Long memoryBytes, Double bandwidthBytesPerSecond,
                           String memoryType, Integer gpusPerHost, Integer pcieGeneration, String notes,
                           List<Source> sources)
        implements CatalogEntry {

    public HostPlatform {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Hosts in a node of {@code gpus} GPUs: one, or one per {@link #gpusPerHost()} GPUs (36 Graces per NVL72). */
    public int hostsFor(int gpus) {
        return gpusPerHost == null ? 1 : (gpus + gpusPerHost - 1) / gpusPerHost;
    }
}
