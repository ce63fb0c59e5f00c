package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.catalog.ModelArchitecture.LayerGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pattern and FFN lines the CLI's catalog entries and the Plan wizard show, on catalog entries and shapes. */
class LayerPlanDescriptionTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    private static ModelArchitecture catalog(String id) {
        return CATALOG.model(id).orElseThrow().architecture();
    }

    @Test
    void alternatingLayersAreStatedAsTheirCycleWithTotals() {
        // google/gemma-2-9b config.json: 42 layers, sliding_window 4096 on every other layer (Gemma 2 report).
        assertThat(LayerPlan.describeAttention(catalog("gemma-2-9b")))
                .isEqualTo("1 sliding (4,096) : 1 full, repeated over 42 layers (21 sliding, 21 full)");
    }

    @Test
    void aCycleCutShortByTheLayerCountIsStillACycle() {
        // Gemma 3 27B (google/gemma-3-27b-it config.json): 62 layers, sliding_window 1024, and transformers'
        // Gemma3TextConfig makes layer i full when (i + 1) % 6 == 0: 10 full, 52 sliding, two sliding left over.
        ModelArchitecture gemma3 = ModelArchitecture.plain(62, 5376, 32, 16, 128, 21504, FfnKind.GATED, 262208, true,
                131072).withLayerPattern(List.of(LayerGroup.of(5, Attention.SLIDING, 1024),
                LayerGroup.of(1, Attention.FULL, null)));
        assertThat(LayerPlan.describeAttention(gemma3))
                .isEqualTo("5 sliding (1,024) : 1 full, repeated over 62 layers (52 sliding, 10 full)");
    }

    @Test
    void oneKindOfLayerIsJustCounted() {
        assertThat(LayerPlan.describeAttention(catalog("llama-3.1-8b"))).isEqualTo("32 full");
        assertThat(LayerPlan.describeAttention(catalog("mistral-7b"))).isEqualTo("32 sliding (4,096)");
    }

    @Test
    void layersInNoRepeatingOrderAreCountedByKind() {
        // 14 layers from groups of 3 + 1 + 10: the groups cover the model once, so nothing repeats.
        ModelArchitecture mixed = ModelArchitecture.plain(14, 1024, 8, 8, 128, 4096, FfnKind.GATED, 32000, false, 8192)
                .withLayerPattern(List.of(LayerGroup.of(3, Attention.MAMBA, null), LayerGroup.of(1, Attention.FULL, null),
                        LayerGroup.of(10, Attention.NONE, null)));
        assertThat(LayerPlan.describeAttention(mixed)).isEqualTo("3 mamba, 1 full, 10 FFN-only, in no repeating order");
    }

    @Test
    void aPatternSeenOnlyOnceIsNotCalledACycle() {
        // period 4 over 6 layers: the second round is cut short before it completes, so it reads as totals
        assertThat(LayerPlan.period(List.of("s", "s", "s", "f", "s", "s"))).isEqualTo(4);
        ModelArchitecture once = ModelArchitecture.plain(6, 1024, 8, 8, 128, 4096, FfnKind.GATED, 32000, false, 8192)
                .withLayerPattern(List.of(LayerGroup.of(3, Attention.SLIDING, 512), LayerGroup.of(1, Attention.FULL, null)));
        assertThat(LayerPlan.describeAttention(once)).isEqualTo("5 sliding (512), 1 full, in no repeating order");
    }

    @Test
    void theFfnLineNamesExpertsActiveSharedAndDenseLayers() {
        // mistralai/Mixtral-8x7B-v0.1 config.json: num_local_experts 8, num_experts_per_tok 2, every layer MoE.
        assertThat(LayerPlan.describeFfn(catalog("mixtral-8x7b"))).isEqualTo("32 MoE (8 experts, 2 active)");
        // deepseek-ai/DeepSeek-V3 config.json: first_k_dense_replace 3, n_routed_experts 256, num_experts_per_tok 8,
        // n_shared_experts 1, 61 layers.
        assertThat(LayerPlan.describeFfn(catalog("deepseek-v3")))
                .isEqualTo("3 dense + 58 MoE (256 experts, 8 active, 1 shared)");
        assertThat(LayerPlan.describeFfn(catalog("gemma-2-9b"))).isEqualTo("42 dense");
    }
}
