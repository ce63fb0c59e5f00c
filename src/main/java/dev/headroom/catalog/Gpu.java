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
        Price price,
        String notes,
        List<Source> sources) implements CatalogEntry {

    public Gpu {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Memory the engine may plan with: the usable figure where systems expose less than the physical one. */
    public long capacityBytes() {
        return memory.usableBytes() != null ? memory.usableBytes() : memory.bytes();
    }

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

    /** @param gpuLinkBytesPerSecond total GPU-to-GPU link bandwidth per GPU, null when the card has no link */
    public record Interconnect(String gpuLink, Double gpuLinkBytesPerSecond, Integer pcieGeneration,
                               Integer pcieLanes) {
    }

    /** A purchase price per GPU in US dollars, with the date its source gives and what it is a price of. */
    public record Price(Double usd, String date, String basis) {
    }
}
