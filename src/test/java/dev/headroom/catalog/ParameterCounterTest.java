package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterCounterTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    /**
     * Exact totals from the Hugging Face safetensors metadata (huggingface.co/api/models/REPO, safetensors.total),
     * and the active counts the model authors publish.
     */
    @ParameterizedTest(name = "{0}: {1} total")
    @CsvSource(textBlock = """
            # id,          total parameters, source
            llama-3.1-8b,   8030261248,   meta-llama/Llama-3.1-8B safetensors.total
            llama-3.1-70b,  70553706496,  meta-llama/Llama-3.1-70B safetensors.total
            llama-3.1-405b, 405853388800, meta-llama/Llama-3.1-405B safetensors.total
            mistral-7b,     7241732096,   mistralai/Mistral-7B-v0.1 safetensors.total
            mixtral-8x7b,   46702792704,  mistralai/Mixtral-8x7B-v0.1 safetensors.total
            qwen2.5-72b,    72706203648,  Qwen/Qwen2.5-72B safetensors.total
            gemma-2-27b,    27227128320,  google/gemma-2-27b safetensors.total
            """)
    void derivedTotalsEqualPublishedTotals(String id, long total, String source) {
        assertThat(ParameterCounter.count(CATALOG.requireModel(id).architecture()).total()).as(source).isEqualTo(total);
    }

    /** Active parameters per token as the authors state them (rounded in their announcements, so within 2 %). */
    @ParameterizedTest(name = "{0}: about {1} B active")
    @CsvSource(textBlock = """
            # id,         active (billions), source
            mixtral-8x7b,  12.9,  'Mistral AI, Mixtral of experts (2023-12-11): 12.9B active of 46.7B'
            mixtral-8x22b, 39.0,  'Mistral AI, Cheaper Better Faster Stronger (2024-04-17): 39B active of 141B'
            deepseek-v3,   37.0,  'DeepSeek-V3 Technical Report arXiv:2412.19437: 37B activated'
            """)
    void activeParametersOfMixtureOfExpertsModels(String id, double billions, String source) {
        ParameterCounter.Count count = ParameterCounter.count(CATALOG.requireModel(id).architecture());
        assertThat(count.active() / 1e9).as(source).isCloseTo(billions, withinPercentage(2));
        assertThat(count.active()).isLessThan(count.total());
    }

    /** A 2-layer, hidden-8 model: small enough to count every tensor by hand. */
    private static ModelArchitecture tiny() {
        return ModelArchitecture.plain(2, 8, 2, 1, 4, 16, ModelArchitecture.FfnKind.GATED, 10, true, 64);
    }

    @Test
    void perLayerEmbeddingsAddTheirTableProjectionGatesAndNorms() {
        ModelArchitecture plain = tiny();
        ModelArchitecture a = new ModelArchitecture(2, 8, 2, 1, 4, 16, ModelArchitecture.FfnKind.GATED, 10, true,
                64, ModelArchitecture.PositionEmbedding.ROPE, 0, ModelArchitecture.NormKind.RMSNORM, 2, false, false,
                false, null, null, null, null, null, null, null, null, null, null, null, null, null,
                new ModelArchitecture.PerLayerEmbedding(20, 3));

        // table 20 x (2 layers x 3) + projection (2 x 3) x 8 + its norm 3; per layer gate 3x8, projection 8x3, norm 8
        long expected = 20 * 6 + 6 * 8 + 3 + 2 * (2 * 8 * 3 + 8);
        assertThat(ParameterCounter.count(a).total() - ParameterCounter.count(plain).total()).isEqualTo(expected);
    }

    @Test
    void aKvSharedLayerHasNoKeyOrValueProjection() {
        ModelArchitecture plain = tiny();
        ModelArchitecture shared = plain.withLayerPattern(List.of(
                ModelArchitecture.LayerGroup.of(1, ModelArchitecture.Attention.FULL, null),
                new ModelArchitecture.LayerGroup(1, ModelArchitecture.Attention.FULL, null, null, null, null, null,
                        null, null, null, true, null)));

        // the second layer loses k_proj and v_proj: 2 x (8 x 1 KV head x 4)
        assertThat(ParameterCounter.count(plain).total() - ParameterCounter.count(shared).total()).isEqualTo(64);
        assertThat(LayerPlan.of(shared).get(1).kvFactor()).isZero();
    }
}
