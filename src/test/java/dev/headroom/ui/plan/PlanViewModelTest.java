package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.SharedFixtures;
import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.HuggingFaceImporter;
import dev.headroom.catalog.Model;
import dev.headroom.sizing.SizingEngine;
import org.junit.jupiter.api.Test;

/** The model step's descriptions, read from the view model without a toolkit. */
class PlanViewModelTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    private final PlanViewModel vm = new PlanViewModel(CATALOG, new SizingEngine(CATALOG));

    @Test
    void aCatalogModelShowsItsAttentionCycleAndFfnLayers() {
        vm.modelIdProperty().set("gemma-2-9b");
        // google/gemma-2-9b config.json: 42 layers, every other one a 4,096-token sliding window.
        assertThat(vm.getAttentionPattern()).startsWith("1 sliding (4,096) : 1 full, repeated over 42 layers");
        assertThat(vm.getFfnLayout()).isEqualTo("42 dense");
    }

    @Test
    void aMixtureOfExpertsShowsExpertsAndActiveExperts() {
        vm.modelIdProperty().set("mixtral-8x7b");
        // mistralai/Mixtral-8x7B-v0.1 config.json: 32 layers, 8 local experts, 2 per token.
        assertThat(vm.getFfnLayout()).isEqualTo("32 MoE (8 experts, 2 active)");
        assertThat(vm.getAttentionPattern()).isEqualTo("32 full");
        vm.modelIdProperty().set("deepseek-v3");
        assertThat(vm.getFfnLayout()).isEqualTo("3 dense + 58 MoE (256 experts, 8 active, 1 shared)");
    }

    @Test
    void anImportedConfigIsDescribedLikeACatalogEntry() {
        Model imported = HuggingFaceImporter.importFile(SharedFixtures.hfConfig("mistral-7b-v0.1"));
        vm.importedNameProperty().set(imported.name());
        vm.importedArchitectureProperty().set(imported.architecture());
        vm.modelSourceProperty().set(PlanViewModel.ModelSource.IMPORTED);
        // mistralai/Mistral-7B-v0.1 config.json: sliding_window 4096 on all 32 layers.
        assertThat(vm.getAttentionPattern()).isEqualTo("32 sliding (4,096)");
        assertThat(vm.getFfnLayout()).isEqualTo("32 dense");
    }

    @Test
    void customFieldsAreDescribedAsTheyAreTypedAndNotWhileTheyAreBad() {
        vm.modelSourceProperty().set(PlanViewModel.ModelSource.CUSTOM);
        vm.expertsProperty().set("16");
        vm.activeExpertsProperty().set("4");
        assertThat(vm.getFfnLayout()).isEqualTo("32 MoE (16 experts, 4 active)");
        assertThat(vm.getAttentionPattern()).isEqualTo("32 full");
        vm.layersProperty().set("thirty");
        assertThat(vm.getAttentionPattern()).isEmpty();
        assertThat(vm.getFfnLayout()).isEmpty();
        vm.layersProperty().set("12");
        assertThat(vm.getAttentionPattern()).isEqualTo("12 full");
    }

    /** llama.cpp's -ngl from the hardware step: the scenario carries it and the results get a host-memory line. */
    @Test
    void gpuLayersBecomeTheScenariosOffloadAndTheEstimatesHostMemory() {
        vm.modelIdProperty().set("llama-3.1-70b");
        vm.weightsProperty().set(dev.headroom.sizing.WeightFormat.Q4_K_M);
        vm.runtimeProperty().set(dev.headroom.sizing.RuntimeProfile.LLAMA_CPP);
        vm.gpuIdProperty().set("rtx-4090");
        vm.cpuOffloadProperty().set(PlanViewModel.CpuOffload.GPU_LAYERS);
        vm.gpuLayersProperty().set("40");
        dev.headroom.sizing.Scenario.Hardware hardware = vm.currentScenario().hardware();
        assertThat(hardware.offload().gpuLayers()).isEqualTo(40);
        assertThat(vm.getEstimate().host().gpuLayers()).isEqualTo(39);
        assertThat(HardwareText.host(vm.getEstimate().host())).startsWith("39 layers on the GPU, 41 on the CPU")
                .endsWith("fits");
        assertThat(vm.getEstimate().performance().decodeBound()).isEqualTo("host-memory");
    }

    /** Nodes and a network typed in the step reach the engine, and the layout line says what it resolved. */
    @Test
    void nodesAndNetworkReachTheEngineAndTheLayoutLine() {
        vm.gpuIdProperty().set("h100-sxm");
        vm.gpuCountProperty().set("32");
        vm.gpusPerNodeProperty().set("8");
        vm.networkProperty().set("roce-400");
        dev.headroom.sizing.Scenario.Hardware hardware = vm.currentScenario().hardware();
        assertThat(hardware.nodes().gpusPerNode()).isEqualTo(8);
        assertThat(hardware.nodes().network()).isEqualTo("roce-400");
        assertThat(vm.getLayoutSummary()).startsWith("4 nodes x 8 GPUs (NVLink 4 domain 8), 400 GbE RoCE")
                .endsWith("50 GB/s per GPU");
        vm.gpusPerNodeProperty().set("9");
        assertThat(vm.fieldProblems().get("gpus-per-node")).contains("holds at most 8");
        assertThat(vm.getEstimate()).isNull();
    }

    /** A saved plan's node, offload, host and share fields load back into the step's fields. */
    @Test
    void aSavedPlansHardwareFieldsLoadBack() {
        vm.load(new dev.headroom.sizing.Scenario(dev.headroom.sizing.Scenario.ModelSpec.catalog("llama-3.1-8b"), null,
                null, null, null, null, null, new dev.headroom.sizing.Scenario.Hardware("apple-m4-max-128gb", 1,
                new dev.headroom.sizing.Scenario.Nodes(null, null, "thunderbolt-5"),
                new dev.headroom.sizing.Scenario.Offload(null, null, 16L << 30, 300e9), 0.85),
                dev.headroom.sizing.RuntimeProfile.MLX, null, null));
        assertThat(vm.networkProperty().get()).isEqualTo("thunderbolt-5");
        assertThat(vm.hostMemoryGibProperty().get()).isEqualTo("16");
        assertThat(vm.hostBandwidthGbpsProperty().get()).isEqualTo("300");
        assertThat(vm.unifiedGpuShareProperty().get()).isEqualTo("0.85");
        assertThat(vm.currentScenario().hardware().unifiedGpuShare()).isEqualTo(0.85);
        assertThat(vm.getEstimate().fit().capacityBytes()).isEqualTo((long) ((128L << 30) * 0.85));
    }

    /** The GPU share applies to unified-memory machines only; the step shows each GPU's defaults. */
    @Test
    void theUnifiedShareFollowsTheSelectedGpu() {
        vm.gpuIdProperty().set("apple-m3-ultra-512gb");
        assertThat(vm.getHardwareDefaults().unified()).isTrue();
        assertThat(vm.getHardwareDefaults().unifiedShare()).startsWith("0.75");
        assertThat(vm.getHardwareDefaults().unifiedControl()).contains("iogpu.wired_limit_mb");
        vm.unifiedGpuShareProperty().set("0.9");
        assertThat(vm.currentScenario().hardware().unifiedGpuShare()).isEqualTo(0.9);
        vm.gpuIdProperty().set("rtx-4090");
        assertThat(vm.getHardwareDefaults().unified()).isFalse();
        assertThat(vm.getHardwareDefaults().hostMemoryGib()).startsWith("64: Desktop, dual-channel DDR5-5600");
        assertThat(vm.currentScenario().hardware().unifiedGpuShare()).isNull(); // kept in the field, not applied
        assertThat(vm.getEstimate()).isNotNull();
    }
}
