package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.SharedFixtures;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every real config.json in ../shared/fixtures/hf-configs imports, and its derived counts match the published
 * figures that INDEX.md there lists, each with its source.
 *
 * <p>A derived count passes when it is within 1 % of the published figure. Where a card gives only two
 * significant digits ("37B", "13B", "3.3B"), 1 % is finer than the figure itself, so the count may instead lie
 * in the interval the figure stands for, rounded or cut: from half a unit of its last digit below to one unit
 * above ("37B": 36.5B to 38B). The rows that need it: DeepSeek-V3 and V4-Flash, Qwen3-30B-A3B and Llama 4
 * Scout's active counts.
 *
 * <p>Which parts a figure covers differs by vendor and is given per row: {@code text} is the language model,
 * {@code vision} adds the vision tower and projector; for active counts {@code all} counts every parameter a
 * token touches, {@code no-input-embedding} leaves out the embedding table (a lookup, not a matrix product),
 * {@code no-embeddings} leaves out the embedding and the output head.
 */
class HuggingFaceImportFixturesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # file                              | total   | covers | active | active covers      | source
            deepseek-v3                         | 671B    | text   | 37B    | all                | deepseek-ai/DeepSeek-V3 README
            gemma-2-2b                          | 2614341888 | text | -     | -                  | Gemma 2 report, arXiv 2408.00118, Table 2: 2,614,636,800 with 256,128 embedding rows, less the 128 rows the config's vocab_size of 256,000 leaves out
            gemma-3-27b                         | 27433M  | vision | -      | -                  | Gemma 3 report, arXiv 2503.19786, Table 1: 417M vision encoder + 1,416M embedding + 25,600M non-embedding
            gpt-oss-120b                        | 116.83B | text   | 5.13B  | no-input-embedding | gpt-oss model card, arXiv 2508.10925, Table 1 (active counts the unembedding, not the embedding table)
            llama-3.3-70b-instruct              | 70B     | text   | -      | -                  | meta-llama/llama-models, models/llama3_3/MODEL_CARD.md
            llama-4-scout-17b-16e-instruct      | 109B    | vision | 17B    | all                | meta-llama/llama-models, models/llama4/MODEL_CARD.md
            mistral-7b-v0.1                     | 7.3B    | text   | -      | -                  | Mistral AI announcement of Mistral 7B
            mixtral-8x7b-v0.1                   | 46.7B   | text   | 12.9B  | all                | Mistral AI, Mixtral of experts
            phi-4                               | 14.66B  | text   | -      | -                  | microsoft/phi-4 on the Hub, safetensors metadata (the model card's 14B is rounded)
            qwen2.5-7b                          | 7615616512 | text | -     | -                  | Qwen2.5-7B on the Hub: safetensors metadata (model card: 7.61B)
            qwen3-30b-a3b                       | 30.5B   | text   | 3.3B   | all                | Qwen3-30B-A3B model card
            qwen3-8b                            | 8.2B    | text   | -      | -                  | Qwen3-8B model card
            Qwen--Qwen3.5-27B                   | 27B     | text   | -      | -                  | Qwen3.5-27B model card (the language model: 26.90B; the 0.46B vision tower is counted apart)
            deepseek-ai--DeepSeek-V4-Flash      | 284B    | text   | 13B    | all                | DeepSeek-V4 model card and report
            zai-org--GLM-5.1                    | 744B    | text   | 40B    | no-embeddings      | zai-org/GLM-5 README, 744B-A40B (Zhipu counts active without embeddings: GLM-4.5's A32B fits only so)
            google--gemma-4-26B-A4B             | 25.2B   | text   | 3.8B   | all                | Google's Gemma 4 model card (text model; the vision tower is counted apart)
            """)
    void realConfigsGiveThePublishedCounts(String file, String total, String covers, String active,
                                           String activeCovers, String source) {
        Model model = HuggingFaceImporter.importFile(SharedFixtures.hfConfig(file));
        ParameterCounter.Count count = ParameterCounter.count(model.architecture());

        long derivedTotal = covers.equals("vision") ? count.total() : count.text();
        if (covers.equals("vision")) {
            assertThat(count.vision()).as("%s: the vision tower is counted", file).isPositive();
        }
        assertClose(file + " total (" + source + ")", derivedTotal, total);
        if (!active.equals("-")) {
            ModelArchitecture a = model.architecture();
            long embedding = (long) a.vocabSize() * a.hiddenSize();
            long head = Boolean.TRUE.equals(a.tiedEmbeddings()) ? 0 : embedding;
            long derivedActive = switch (activeCovers) {
                case "all" -> count.active();
                case "no-input-embedding" -> count.active() - embedding;
                case "no-embeddings" -> count.active() - embedding - head;
                default -> throw new IllegalArgumentException(activeCovers);
            };
            assertClose(file + " active (" + source + ")", derivedActive, active);
        }
    }

    /** Within 1 %, or inside the interval a figure rounded or cut to its last digit stands for. */
    private static void assertClose(String what, long derived, String published) {
        BigDecimal multiplier = published.endsWith("B") ? BigDecimal.valueOf(1_000_000_000L)
                : published.endsWith("M") ? BigDecimal.valueOf(1_000_000L) : BigDecimal.ONE;
        BigDecimal figure = new BigDecimal(published.replaceAll("[BM]$", ""));
        double value = figure.multiply(multiplier).doubleValue();
        double lastDigit = BigDecimal.ONE.movePointLeft(figure.scale()).multiply(multiplier).doubleValue();
        double unit = multiplier.equals(BigDecimal.ONE) ? 0 : lastDigit;
        double low = Math.min(0.99 * value, value - unit / 2);
        double high = Math.max(1.01 * value, value + unit);
        assertThat((double) derived).as("%s: derived %,d vs published %s", what, derived, published)
                .isBetween(low, high);
    }

    /** The checkpoint's format, from each real config's quantization_config; 16-bit checkpoints record none. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            gpt-oss-120b                   | mxfp4
            deepseek-v3                    | fp8-block
            deepseek-ai--DeepSeek-V4-Flash | fp8-block
            llama-3.3-70b-instruct         | -
            qwen3-8b                       | -
            zai-org--GLM-5.1               | -
            """)
    void theNativeFormatIsTheQuantizationConfigs(String file, String format) {
        Model model = HuggingFaceImporter.importFile(SharedFixtures.hfConfig(file));

        assertThat(model.nativeFormat()).isEqualTo(format.equals("-") ? null : format);
        if (model.nativeFormat() != null) {
            assertThat(model.sources()).anySatisfy(s -> assertThat(s.covers()).contains("nativeFormat"));
        }
    }
}
