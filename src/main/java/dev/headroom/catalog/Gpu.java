package dev.headroom.catalog;

import java.util.List;

/**
 * A GPU model as sold. Compute figures are dense (no 2:4 sparsity); for GeForce cards the FP16/BF16 figures
 * are the FP32-accumulate rate that mixed-precision training uses (see {@link #accumulationNote()}).
 */
public record Gpu(
        String id,
        String name,
        String vendor,
        GpuClass gpuClass,
        String architecture,
        Integer releaseYear,
        String formFactor,
        Memory memory,
        DenseTflops denseTflops,
        Boolean sparsity,
        String accumulationNote,
        Power power,
        Interconnect interconnect,
        Node node,
        UnifiedMemory unifiedMemory,
        Price price,
        String notes,
        List<Source> sources) implements CatalogEntry {

    public Gpu {
        sources = sources == null ? List.of() : List.copyOf(sources);
        node = node == null && gpuClass != null ? Node.typical(gpuClass, interconnect) : node;
    }

    /**
     * Memory the engine may plan with: the usable figure where systems expose less than the physical one; on a
     * unified-memory machine the share the GPU may use by default.
     */
    public long capacityBytes() {
        return capacityBytes(null);
    }

    /** As {@link #capacityBytes()}, with the GPU's share of a unified memory overridden when not null. */
    public long capacityBytes(Double unifiedShare) {
        if (unifiedMemory != null) {
            double share = unifiedShare != null ? unifiedShare : unifiedMemory.defaultGpuShare();
            return (long) (memory.bytes() * share);
        }
        return memory.usableBytes() != null ? memory.usableBytes() : memory.bytes();
    }

    /** On a unified-memory machine, what the GPU's share leaves to the CPU side and the system. */
    public long cpuSideBytes(Double unifiedShare) {
        return memory.bytes() - capacityBytes(unifiedShare);
    }

    public boolean isUnified() {
        return gpuClass == GpuClass.UNIFIED;
    }

    /** The software stack its kernels come from, which decides the runtimes that run on it. */
    public Backend backend() {
        return switch (vendor) {
            case "Apple" -> Backend.METAL;
            case "AMD" -> Backend.ROCM;
            case "Intel" -> Backend.GAUDI;
            default -> Backend.CUDA;
        };
    }

    public enum Backend { CUDA, ROCM, METAL, GAUDI }

    /**
     * @param bytes          advertised capacity; GPU memory "GB" is binary, so 80 GB is 80 GiB
     * @param usableBytes    what shipping systems expose when less than {@code bytes}, else null
     */
    public record Memory(Long bytes, Long usableBytes, String type, Double bandwidthBytesPerSecond, Boolean ecc) {
    }

    /** Dense peak throughput in TFLOPS (TOPS for integer formats); null where the GPU has no such path. */
    public record DenseTflops(Double fp32, Double tf32, Double fp16, Double bf16, Double fp8, Double int8,
                              Double int4, Double fp4) {
    }

    public record Power(Double tdpWatts, Double idleWatts, Double limitMinWatts, Double limitMaxWatts) {
    }

    /**
     * @param gpuLinkBytesPerSecond  total GPU-to-GPU link bandwidth per GPU, null when the card has no link
     * @param hostLinkBytesPerSecond total CPU-to-GPU bandwidth per GPU where that link is not PCIe (NVLink-C2C on
     *                               Grace systems), else null and the PCIe figures apply
     */
    public record Interconnect(String gpuLink, Double gpuLinkBytesPerSecond, Integer pcieGeneration,
                               Integer pcieLanes, Double hostLinkBytesPerSecond) {
    }

    /**
     * The machine the GPU is sold in.
     *
     * @param gpusPerNode GPUs one node (server, rack domain, desktop) holds at most
     * @param domainGpus  GPUs sharing the fast GPU link (NVLink / Infinity Fabric); 1 when there is none
     * @param nicsPerNode scale-out ports per node for the compute fabric (DGX H100: 8, one per GPU)
     * @param network     the default scale-out network's id
     * @param host        the default host platform's id; null on a unified-memory machine, whose CPU shares it
     */
    public record Node(Integer gpusPerNode, Integer domainGpus, Integer nicsPerNode, String network, String host) {
        /**
         * The node a GPU entry gets when it names none (a user's own card): an HGX-like 8-GPU server with one
         * NDR port per GPU for data-center parts, an 8-card PCIe box on 10 GbE for the rest, one machine for unified.
         */
        static Node typical(GpuClass gpuClass, Interconnect link) {
            boolean linked = link != null && link.gpuLinkBytesPerSecond() != null;
            return switch (gpuClass) {
                case DATA_CENTER -> new Node(8, linked ? 8 : 1, 8, "ib-ndr-400", "server-2s-ddr5-4800-16ch");
                case WORKSTATION -> new Node(8, 1, 1, "ethernet-10", "workstation-ddr5-4800-8ch");
                case CONSUMER -> new Node(8, 1, 1, "ethernet-10", "desktop-ddr5-5600-2ch");
                case UNIFIED -> new Node(1, 1, 1, "ethernet-10", null);
            };
        }
    }

    /**
     * How much of a unified memory the GPU may use: the operating system keeps the rest.
     *
     * @param defaultGpuShare the share the GPU gets out of the box (macOS: Metal's recommended working set)
     * @param maxGpuShare     the most users report running with, leaving the system enough to live
     * @param control         how a user raises it (a sysctl, a kernel parameter, a firmware setting)
     */
    public record UnifiedMemory(Double defaultGpuShare, Double maxGpuShare, String control) {
    }

    /**
     * A purchase price per GPU in US dollars, with the date its source gives and what it is a price of; for a
     * unified-memory machine, the whole system's.
     *
     * @param includesServer the price is a share of a server or rack (CPUs, switches, chassis), so the cost model
     *                       adds no server multiple on top; null or false for the GPU alone
     */
    public record Price(Double usd, String date, String basis, Boolean includesServer) {
        /** @return whether the price is a share of a whole server or rack (a DGX listing / 8, an NVL72 rack / 72) */
        public boolean ofSystem() {
            return Boolean.TRUE.equals(includesServer);
        }
    }
}
