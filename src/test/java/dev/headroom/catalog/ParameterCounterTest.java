package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

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
}
