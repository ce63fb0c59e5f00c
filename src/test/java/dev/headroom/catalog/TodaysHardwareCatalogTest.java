package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Datasheet figures of the GPUs, machines, networks and hosts that issue 15 adds, each with its source. */
class TodaysHardwareCatalogTest {
    private static final double GIB = 1L << 30;
    private static Catalog catalog;

    @BeforeAll
    static void load() {
        catalog = new CatalogLoader(null).load();
    }

    @Test
    void everyGpuAndMachineOfTheIssueIsThere() {
        assertThat(catalog.gpus()).containsKeys("b300", "gb200", "h20", "h100-nvl", "a100-80gb-pcie", "a40",
                "rtx-a6000", "l20", "rtx-pro-6000-blackwell", "rtx-5080", "rtx-5070-ti", "rtx-5060-ti-16gb", "mi325x",
                "mi355x", "gaudi-3", "gb300", "dgx-spark", "apple-m3-ultra-512gb", "apple-m4-max-128gb",
                "apple-m4-pro-64gb", "ryzen-ai-max-395-128gb");
        for (String id : List.of("dgx-spark", "apple-m3-ultra-512gb", "apple-m4-max-128gb", "apple-m4-pro-64gb",
                "ryzen-ai-max-395-128gb")) {
            Gpu machine = catalog.requireGpu(id);
            assertThat(machine.gpuClass()).isEqualTo(GpuClass.UNIFIED);
            assertThat(machine.unifiedMemory().control()).isNotBlank();
            assertThat(machine.node().host()).isNull();
        }
    }

    private static void memory(String id, double gib, double bytesPerSecond) {
        Gpu gpu = catalog.requireGpu(id);
        assertThat(gpu.memory().bytes() / GIB).as(id).isEqualTo(gib);
        assertThat(gpu.memory().bandwidthBytesPerSecond()).as(id).isEqualTo(bytesPerSecond);
    }

    /** Glenn K. Lockwood, B300 page, and Verda's per-GPU table: 288 GB HBM3e, 8 TB/s, FP4 14 PF dense, 1,100 W. */
    @Test
    void b300() {
        memory("b300", 288, 8e12);
        Gpu b300 = catalog.requireGpu("b300");
        assertThat(b300.denseTflops().fp4()).isEqualTo(14_000);
        assertThat(b300.denseTflops().fp8()).isEqualTo(4_500);
        assertThat(b300.power().tdpWatts()).isEqualTo(1_100);
        assertThat(b300.node().network()).isEqualTo("ib-xdr-800"); // 8 ConnectX-8 SuperNICs (HGX B300)
    }

    /** NVIDIA GB200 NVL72 datasheet, per GPU: FP4 10 PF, FP8 5 PF dense (20 / 10 sparse), 1,200 W, 72 in one NVLink domain. */
    @Test
    void gb200() {
        Gpu gb200 = catalog.requireGpu("gb200");
        assertThat(gb200.denseTflops().fp4()).isEqualTo(10_000);
        assertThat(gb200.denseTflops().fp8()).isEqualTo(5_000);
        assertThat(gb200.power().tdpWatts()).isEqualTo(1_200);
        assertThat(gb200.node().domainGpus()).isEqualTo(72);
        assertThat(gb200.node().host()).isEqualTo("grace-lpddr5x");
        assertThat(gb200.interconnect().hostLinkBytesPerSecond()).isEqualTo(4.5e11); // C2C 900 GB/s per 2 GPUs
    }

    /** NVIDIA H20 (TweakTown, 2024): 96 GB HBM3 at 4.0 TB/s, FP8 296 TFLOPS dense, 400 W. */
    @Test
    void h20() {
        memory("h20", 96, 4e12);
        assertThat(catalog.requireGpu("h20").denseTflops().fp8()).isEqualTo(296);
        assertThat(catalog.requireGpu("h20").power().tdpWatts()).isEqualTo(400);
    }

    /** NVIDIA H100 NVL datasheet (PNY): 94 GB at 3.9 TB/s, FP8 1,670.5 dense, NVLink bridge pairs. */
    @Test
    void h100Nvl() {
        memory("h100-nvl", 94, 3.9e12);
        assertThat(catalog.requireGpu("h100-nvl").denseTflops().fp8()).isEqualTo(1_670.5);
        assertThat(catalog.requireGpu("h100-nvl").node().domainGpus()).isEqualTo(2);
    }

    /** NVIDIA RTX PRO 6000 Blackwell: 96 GB GDDR7 at 1,792 GB/s, 600 W, FP4 4,000 AI TOPS sparse = 2,000 dense. */
    @Test
    void rtxPro6000Blackwell() {
        memory("rtx-pro-6000-blackwell", 96, 1.792e12);
        Gpu card = catalog.requireGpu("rtx-pro-6000-blackwell");
        assertThat(card.gpuClass()).isEqualTo(GpuClass.WORKSTATION);
        assertThat(card.power().tdpWatts()).isEqualTo(600);
        assertThat(card.denseTflops().fp4()).isEqualTo(2_000);
    }

    /** AMD: MI325X 256 GB HBM3e at 6 TB/s, FP8 2,614.9 dense, 1,000 W; MI355X 288 GB at 8 TB/s, FP8 5 PF dense, 1,400 W. */
    @Test
    void instinctMi325xAndMi355x() {
        memory("mi325x", 256, 6e12);
        assertThat(catalog.requireGpu("mi325x").denseTflops().fp8()).isEqualTo(2_614.9);
        assertThat(catalog.requireGpu("mi325x").power().tdpWatts()).isEqualTo(1_000);
        memory("mi355x", 288, 8e12);
        assertThat(catalog.requireGpu("mi355x").denseTflops().fp8()).isEqualTo(5_000);
        assertThat(catalog.requireGpu("mi355x").power().tdpWatts()).isEqualTo(1_400);
        assertThat(catalog.requireGpu("mi355x").backend()).isEqualTo(Gpu.Backend.ROCM);
    }

    /** Intel Gaudi 3: 128 GB HBM2e at 3.7 TB/s, BF16 and FP8 1,835 TFLOPS, 900 W OAM, 24 x 200 GbE on the chip. */
    @Test
    void gaudi3() {
        memory("gaudi-3", 128, 3.7e12);
        Gpu gaudi = catalog.requireGpu("gaudi-3");
        assertThat(gaudi.denseTflops().bf16()).isEqualTo(1_835);
        assertThat(gaudi.power().tdpWatts()).isEqualTo(900);
        assertThat(gaudi.node().network()).isEqualTo("roce-gaudi3");
        assertThat(gaudi.backend()).isEqualTo(Gpu.Backend.GAUDI);
    }

    /**
     * Unified machines: DGX Spark 128 GB LPDDR5x at 273 GB/s (NVIDIA); Mac Studio M3 Ultra 819 GB/s, M4 Max 546 GB/s,
     * Mac mini M4 Pro 273 GB/s (Apple, via Macworld 2025-03-05); Ryzen AI Max+ 395 256-bit LPDDR5X-8000 = 256 GB/s.
     * macOS wires 3/4 of the memory for the GPU above 36 GiB (ollama's gpu_darwin.go rule, matching logged
     * recommendedMaxWorkingSetSize values); Linux gives Strix Halo's GPU half the RAM as GTT by default.
     */
    @Test
    void unifiedMachines() {
        memory("dgx-spark", 128, 273e9);
        memory("apple-m3-ultra-512gb", 512, 819e9);
        memory("apple-m4-max-128gb", 128, 546e9);
        memory("apple-m4-pro-64gb", 64, 273e9);
        memory("ryzen-ai-max-395-128gb", 128, 256e9);
        assertThat(catalog.requireGpu("apple-m3-ultra-512gb").capacityBytes()).isEqualTo(384L << 30);
        assertThat(catalog.requireGpu("apple-m3-ultra-512gb").unifiedMemory().control()).contains("iogpu.wired_limit_mb");
        assertThat(catalog.requireGpu("ryzen-ai-max-395-128gb").capacityBytes()).isEqualTo(64L << 30);
        assertThat(catalog.requireGpu("ryzen-ai-max-395-128gb").unifiedMemory().control()).contains("ttm.pages_limit");
        assertThat(catalog.requireGpu("apple-m3-ultra-512gb").price().usd()).isEqualTo(9_499);
        assertThat(catalog.requireGpu("apple-m3-ultra-512gb").backend()).isEqualTo(Gpu.Backend.METAL);
    }

    /** InfiniBand Trade Association: NDR 400 Gb/s, XDR 800 Gb/s, HDR 200 Gb/s per 4x port, one direction. */
    @Test
    void networks() {
        assertThat(catalog.networks().get("ib-ndr-400").bytesPerSecond()).isEqualTo(50e9);
        assertThat(catalog.networks().get("ib-xdr-800").bytesPerSecond()).isEqualTo(100e9);
        assertThat(catalog.networks().get("ib-hdr-200").bytesPerSecond()).isEqualTo(25e9);
        assertThat(catalog.networks().get("roce-400").bytesPerSecond()).isEqualTo(50e9);
        assertThat(catalog.networks().get("ethernet-100").bytesPerSecond()).isEqualTo(12.5e9);
        for (Gpu gpu : catalog.gpus().values()) {
            assertThat(catalog.networks()).as(gpu.id()).containsKey(gpu.node().network());
        }
    }

    /** JEDEC arithmetic: channels x 8 bytes x transfers per second; dual-channel DDR5-5600 = 89.6 GB/s. */
    @Test
    void hostPlatforms() {
        assertThat(catalog.hosts().get("desktop-ddr5-5600-2ch").bandwidthBytesPerSecond()).isEqualTo(89.6e9);
        assertThat(catalog.hosts().get("workstation-ddr5-4800-8ch").bandwidthBytesPerSecond()).isEqualTo(307.2e9);
        assertThat(catalog.hosts().get("grace-lpddr5x").bandwidthBytesPerSecond()).isEqualTo(512e9);
        assertThat(catalog.hosts().get("desktop-ddr5-5600-2ch").memoryBytes()).isEqualTo(64L << 30);
    }

    /** Cloud offers for today's GPUs come from at least six providers. */
    @Test
    void offersForTodaysGpusComeFromSixProviders() {
        List<String> today = List.of("b200", "gb200", "h200", "mi300x", "mi325x", "rtx-pro-6000-blackwell", "l40s");
        assertThat(catalog.offers().values().stream().filter(o -> today.contains(o.gpuId()))
                .map(CloudOffer::provider).distinct().count()).isGreaterThanOrEqualTo(6);
        for (String id : List.of("b200", "gb200", "h200", "mi300x", "mi325x", "rtx-pro-6000-blackwell", "l40s")) {
            assertThat(catalog.offersFor(id)).as(id).isNotEmpty();
        }
    }
}
