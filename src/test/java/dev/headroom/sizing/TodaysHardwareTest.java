package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.CATALOG;
import static dev.headroom.sizing.Scenarios.ENGINE;
import static dev.headroom.sizing.Scenarios.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.headroom.catalog.ModelArchitecture;
import org.junit.jupiter.api.Test;

/** Hand-worked checks of unified memory, CPU offload and multi-node training (issue 15). */
class TodaysHardwareTest {
    private static final double LAUNCH = 100e-6; // llama.cpp's per-layer host overhead (RuntimeProfile)
    private static final double BANDWIDTH_EFFICIENCY = 0.75; // Efficiencies.DEFAULTS
    private static final double LINK_EFFICIENCY = 0.7;

    private static Scenario llamaCpp(String model, String gpu, Scenario.Offload offload, int input, int output) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.Q4_K_M, null, null, null), new Scenario.Shape(1, input, output),
                null, null, new Scenario.Hardware(gpu, 1, null, offload, null), RuntimeProfile.LLAMA_CPP, null, null);
    }

    private static double bits(Estimate e, String key) {
        return ((Number) e.assumptions().get(key).value()).doubleValue();
    }

    /**
     * Llama-3.3-70B Q4_K_M on a 512 GB Mac Studio: macOS lets the GPU wire 3/4 of the memory (384 GiB), so it fits;
     * decode reads every weight but the embedding lookup plus the KV cache once per token at 819 GB/s x 0.75, plus
     * 80 layers x 100 µs of llama.cpp's per-layer overhead. No CUDA context on Metal.
     */
    @Test
    void llama33On512GbMacStudioFitsAndDecodesAtItsBandwidth() {
        Estimate e = ENGINE.estimate(llamaCpp("llama-3.3-70b", "apple-m3-ultra-512gb", null, 2048, 512));
        assertThat(e.fit().fits()).isTrue();
        assertThat(e.fit().capacityBytes()).isEqualTo(384L << 30);
        ModelArchitecture a = CATALOG.requireModel("llama-3.3-70b").architecture();
        double embedding = (double) a.vocabSize() * a.hiddenSize() * bits(e, "embeddingBits") / 8;
        double kvRead = (2048 + 256) * 327_680.0; // 80 layers x 2 x 8 KV heads x 128 x 2 B, at the mean context
        double expected = (e.memory().weightsBytes() - embedding + kvRead) / (819e9 * BANDWIDTH_EFFICIENCY)
                + a.layers() * LAUNCH;
        assertThat(e.performance().timePerOutputTokenSeconds()).isCloseTo(expected, withinPercentage(1));
        assertThat(e.performance().decodeBound()).isEqualTo("memory");
        assertThat(e.performance().outputTokensPerSecond()).isBetween(11.0, 15.0);
        assertThat(e.assumptions().get("cudaContextBytes").value()).isEqualTo(0L);
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("iogpu.wired_limit_mb"));
    }

    /** Raising the GPU's share (sysctl iogpu.wired_limit_mb) raises the plan's capacity; beyond the safe share, a warning. */
    @Test
    void theUnifiedShareIsEditable() {
        Scenario s = llamaCpp("llama-3.3-70b", "apple-m4-max-128gb", null, 2048, 512);
        Scenario raised = s.withHardware(new Scenario.Hardware("apple-m4-max-128gb", 1, null, null, 0.9));
        assertThat(ENGINE.estimate(s).fit().capacityBytes()).isEqualTo(96L << 30);
        Estimate e = ENGINE.estimate(raised);
        assertThat(e.fit().capacityBytes()).isEqualTo((long) ((128L << 30) * 0.9));
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("unified-gpu-share = 0.9 is above"));
        // A plan saved on a Mac and sized on a discrete GPU keeps its share but does not apply it.
        Estimate discrete = ENGINE.estimate(s.withHardware(new Scenario.Hardware("h100-sxm", 1, null, null, 0.9)));
        assertThat(discrete.fit().capacityBytes()).isEqualTo(80L << 30);
        assertThat(discrete.warnings()).anySatisfy(w -> assertThat(w)
                .contains("unified-gpu-share = 0.9 is ignored: NVIDIA H100 SXM5 80GB has memory of its own"));
    }

    /**
     * A 70B Q4_K_M on one RTX 4090 with --gpu-layers 40: llama.cpp puts the output head and the last 39 of the 80
     * layers on the GPU (i_gpu_start = 80 + 1 - 40 = 41), the first 41 layers and the input embedding in host
     * memory. A decode step reads the CPU layers at dual-channel DDR5-5600 (89.6 GB/s) and the GPU's at 1,008 GB/s.
     */
    @Test
    void seventyBOnOneRtx4090WithFortyGpuLayers() {
        Estimate e = ENGINE.estimate(llamaCpp("llama-3.1-70b", "rtx-4090", new Scenario.Offload(40, null, null, null),
                4096, 512));
        ModelArchitecture a = CATALOG.requireModel("llama-3.1-70b").architecture();
        double h = a.hiddenSize();
        double layerParams = h * (h + 2 * a.kvHeads() * a.headDim() + h) + 3 * h * a.ffnSize();
        double layerBytes = layerParams * bits(e, "bitsPerWeight") / 8;
        double head = a.vocabSize() * h * bits(e, "outputBits") / 8;
        double embedding = a.vocabSize() * h * bits(e, "embeddingBits") / 8;

        assertThat(e.host().gpuLayers()).isEqualTo(39);
        assertThat(e.host().cpuLayers()).isEqualTo(41);
        assertThat(e.host().outputOnGpu()).isTrue();
        assertThat((double) e.memory().weightsBytes()).isCloseTo(39 * layerBytes + head, withinPercentage(0.2));
        assertThat((double) e.host().weightsBytes()).isCloseTo(41 * layerBytes + embedding, withinPercentage(0.2));
        // KV: 2 x 8 KV heads x 128 x 2 bytes = 4 KiB per token and layer, 4,608 tokens.
        double kvPerLayer = 4096.0 * (4096 + 512);
        assertThat((double) e.host().kvCacheBytes()).isCloseTo(41 * kvPerLayer, withinPercentage(0.5));
        assertThat((double) e.memory().kvCacheBytes()).isCloseTo(39 * kvPerLayer, withinPercentage(0.5));
        assertThat(e.host().capacityBytes()).isEqualTo(64L << 30);
        assertThat(e.host().fits()).isTrue();
        assertThat(e.fit().fits()).isTrue();

        double kvRead = 4096.0 * (4096 + 256);
        double host = (41 * layerBytes + 41 * kvRead) / (89.6e9 * BANDWIDTH_EFFICIENCY);
        double gpu = (39 * layerBytes + head + 39 * kvRead) / (1008e9 * BANDWIDTH_EFFICIENCY);
        assertThat(e.performance().decodeBound()).isEqualTo("host-memory");
        assertThat(e.performance().timePerOutputTokenSeconds()).isCloseTo(host + gpu + 80 * LAUNCH, withinPercentage(1));
        assertThat(e.performance().outputTokensPerSecond()).isBetween(2.0, 4.0);
    }

    /** On a unified machine the CPU side has only what the GPU's share leaves. */
    @Test
    void unifiedHostMemoryCannotExceedWhatTheShareLeaves() {
        assertThatThrownBy(() -> ENGINE.estimate(llamaCpp("llama-3.1-8b", "apple-m4-max-128gb",
                new Scenario.Offload(20, null, 64L << 30, null), 1024, 128)))
                .hasMessageContaining("host-memory (GiB) = 64: Apple Mac Studio M4 Max 128GB")
                .hasMessageContaining("has 32.0 GiB left");
    }

    /** Host memory is checked: 16 GiB cannot hold 41 layers of a 70B Q4_K_M. */
    @Test
    void offloadBeyondHostMemoryDoesNotFit() {
        Estimate e = ENGINE.estimate(llamaCpp("llama-3.1-70b", "rtx-4090",
                new Scenario.Offload(40, null, 16L << 30, null), 4096, 512));
        assertThat(e.host().fits()).isFalse();
        assertThat(e.fit().fits()).isFalse();
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("does not fit in host memory"));
    }

    /**
     * vLLM's --cpu-offload-gb 10 on an RTX 4090: 10 GiB of weights leave the GPU and are read over PCIe Gen4 x16
     * (31.5 GB/s x 0.7) on every decode step.
     */
    @Test
    void vllmCpuOffloadStreamsItsWeightsOverPcie() {
        Scenario base = new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.INFERENCE, null, null,
                new Scenario.Shape(1, 2048, 256), null, null, new Scenario.Hardware("rtx-4090", 1), RuntimeProfile.VLLM,
                null, null);
        long tenGib = 10L << 30;
        Estimate plain = ENGINE.estimate(base);
        Estimate offloaded = ENGINE.estimate(base.withHardware(base.hardware().withOffload(
                new Scenario.Offload(null, tenGib, null, null))));
        assertThat(plain.memory().weightsBytes() - offloaded.memory().weightsBytes()).isEqualTo(tenGib);
        assertThat(offloaded.host().weightsBytes()).isEqualTo(tenGib);
        double pcie = 16 * 1.969e9 * LINK_EFFICIENCY;
        double saved = tenGib / (1008e9 * BANDWIDTH_EFFICIENCY);
        assertThat(offloaded.performance().timePerOutputTokenSeconds()
                - plain.performance().timePerOutputTokenSeconds()).isCloseTo(tenGib / pcie - saved, within(1e-4));
        assertThat(offloaded.performance().decodeBound()).isEqualTo("host-link");
    }

    private static Scenario pretrain8b(int nodes, int tp, int dp) {
        int gpus = tp * dp;
        return new Scenario(Scenario.ModelSpec.catalog("llama-3.1-8b"), Workload.PRETRAIN,
                new Scenario.Training(null, null, null, null, null, null, 1, 16, 1e12, null), null,
                new Scenario.Shape(1, 8192, 0), Scenarios.parallel(tp, 1, dp, 1), null,
                new Scenario.Hardware("h100-sxm", gpus, new Scenario.Nodes(nodes, 8, null), null, null), null, null,
                null);
    }

    /**
     * Llama-3.1-8B pre-training, data parallel over 4 nodes x 8 H100 on InfiniBand NDR: each rank all-reduces its
     * fp32 gradients (4 bytes x 8.03 B parameters). NCCL runs one ring per NIC, so the 8 GPUs of a node move the
     * cross-node share over 8 x 50 GB/s = 400 GB/s, below NVLink's 450: 2 x 31/32 x 32.1 GB / (400 GB/s x 0.7).
     * On one node the ring stays on NVLink: 2 x 7/8 x 32.1 GB / (450 GB/s x 0.7).
     */
    @Test
    void dataParallelAllReduceOverNdrAgainstOneNode() {
        Estimate four = ENGINE.estimate(pretrain8b(4, 1, 32));
        Estimate one = ENGINE.estimate(pretrain8b(1, 1, 8));
        double gradients = 4.0 * four.parameters();
        assertThat(four.layout().nodes()).isEqualTo(4);
        assertThat(four.layout().dataParallelLink()).startsWith("InfiniBand NDR 400 Gb/s");
        assertThat(four.layout().networkBytesPerSecondPerGpu()).isEqualTo(50e9);
        assertThat(four.layout().dataParallelSeconds())
                .isCloseTo(10e-6 + 2 * 31.0 / 32 * gradients / (400e9 * LINK_EFFICIENCY), withinPercentage(1));
        assertThat(one.layout().dataParallelLink()).isEqualTo("NVLink 4");
        assertThat(one.layout().dataParallelSeconds())
                .isCloseTo(10e-6 + 2 * 7.0 / 8 * gradients / (450e9 * LINK_EFFICIENCY), withinPercentage(1));
        // Four times the GPUs train the same tokens in a little more than a quarter of the time: the all-reduce
        // hides behind the backward pass at this batch, so the nodes barely cost anything here.
        double ratio = four.performance().trainingDays() / one.performance().trainingDays();
        assertThat(ratio).isBetween(0.25, 0.27);
    }

    /** Tensor parallelism inside the node, data parallel across: each GPU's ring uses its own NIC, 50 GB/s. */
    @Test
    void oneGroupMemberPerNodeGetsOneNic() {
        Estimate e = ENGINE.estimate(pretrain8b(4, 8, 4));
        double gradients = 4.0 * e.parameters() / 8; // tensor-parallel shards, roughly: embeddings split too
        assertThat(e.layout().tensorLink()).isEqualTo("NVLink 4");
        assertThat(e.layout().dataParallelSeconds())
                .isCloseTo(10e-6 + 2 * 3.0 / 4 * gradients / (50e9 * LINK_EFFICIENCY), withinPercentage(3));
    }

    /** A tensor group may not straddle two nodes: tp must divide the GPUs per node. */
    @Test
    void tensorGroupsDoNotStraddleNodes() {
        Scenario s = pretrain8b(4, 1, 20).withParallelism(Scenarios.parallel(4, 1, 5, 1))
                .withHardware(new Scenario.Hardware("h100-sxm", 20, new Scenario.Nodes(null, 5, null), null, null));
        assertThatThrownBy(() -> ENGINE.estimate(s)).hasMessageContaining("tp = 4: must divide gpus-per-node = 5");
    }

    /** A tied embedding is the output head: with the head on the GPU, llama.cpp keeps a copy of it there. */
    @Test
    void aTiedHeadOnTheGpuIsCountedInGpuMemory() {
        Estimate e = ENGINE.estimate(llamaCpp("llama-3.2-3b", "rtx-4090", new Scenario.Offload(1, null, null, null),
                1024, 128));
        ModelArchitecture a = CATALOG.requireModel("llama-3.2-3b").architecture();
        assertThat(a.tiedEmbeddings()).isTrue();
        assertThat((double) e.memory().weightsBytes())
                .isCloseTo(a.vocabSize() * (double) a.hiddenSize() * bits(e, "outputBits") / 8, withinPercentage(1));
        assertThat(e.host().cpuLayers()).isEqualTo(a.layers());
    }

    @Test
    void tensorParallelismStaysInsideANode() {
        Scenario s = pretrain8b(4, 1, 32).withParallelism(Scenarios.parallel(16, 1, 2, 1));
        assertThatThrownBy(() -> ENGINE.estimate(s))
                .hasMessageContaining("tp = 16: tensor parallelism stays inside one node of 8 GPUs");
    }

    /** A GB200 NVL72 rack is one node of 72 GPUs in one NVLink domain; B200 HGX nodes hold 8. */
    @Test
    void nodeSizesComeFromTheCatalog() {
        Scenario s = pretrain8b(1, 1, 8);
        Estimate rack = ENGINE.estimate(s.withParallelism(Scenarios.parallel(1, 1, 72, 1))
                .withHardware(new Scenario.Hardware("gb200", 72)));
        assertThat(rack.layout().nodes()).isEqualTo(1);
        assertThat(rack.layout().domainGpus()).isEqualTo(72);
        assertThat(rack.layout().dataParallelLink()).startsWith("NVLink");
        Estimate hgx = ENGINE.estimate(s.withParallelism(Scenarios.parallel(1, 1, 72, 1))
                .withHardware(new Scenario.Hardware("b200", 72)));
        assertThat(hgx.layout().nodes()).isEqualTo(9);
        assertThat(hgx.layout().dataParallelLink()).startsWith("InfiniBand NDR 400 Gb/s");
    }

    /** vLLM does not run on Apple silicon: the plan is sized with llama.cpp and says so. */
    @Test
    void aCudaRuntimeOnAppleSiliconIsReplacedWithAWarning() {
        Estimate e = ENGINE.estimate(Scenarios.inference("llama-3.1-8b", WeightFormat.BF16, "apple-m4-pro-64gb", 1,
                1024, 128));
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("vllm does not run on")
                .contains("sized with llama-cpp"));
    }
}
