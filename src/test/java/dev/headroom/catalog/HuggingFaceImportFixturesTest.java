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
 * <p>A published figure is rounded to the digits it gives ("37B", "3.3B"), and vendors round or truncate, so a
 * derived count passes when it is within 1 % or within one unit of the figure's last digit, whichever is wider.
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
            gpt-oss-120b                        | 117B    | text   | 5.1B   | no-input-embedding | openai/gpt-oss README (active counts the unembedding, not the embedding table)
            llama-3.3-70b-instruct              | 70B     | text   | -      | -                  | meta-llama/llama-models, models/llama3_3/MODEL_CARD.md
            llama-4-scout-17b-16e-instruct      | 109B    | vision | 17B    | all                | meta-llama/llama-models, models/llama4/MODEL_CARD.md
            mistral-7b-v0.1                     | 7.3B    | text   | -      | -                  | Mistral AI announcement of Mistral 7B
            mixtral-8x7b-v0.1                   | 46.7B   | text   | 12.9B  | all                | Mistral AI, Mixtral of experts
            phi-4                               | 14B     | text   | -      | -                  | microsoft/phi-4 model card
            qwen2.5-7b                          | 7615616512 | text | -     | -                  | Qwen2.5-7B on the Hub: safetensors metadata (model card: 7.61B)
            qwen3-30b-a3b                       | 30.5B   | text   | 3.3B   | all                | Qwen3-30B-A3B model card
            qwen3-8b                            | 8.2B    | text   | -      | -                  | Qwen3-8B model card
            Qwen--Qwen3.5-27B                   | 27B     | vision | -      | -                  | Qwen3.5-27B model card (does not split out the vision tower)
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

    /** Within 1 % or one unit of the published figure's last digit. */
    private static void assertClose(String what, long derived, String published) {
        BigDecimal multiplier = published.endsWith("B") ? BigDecimal.valueOf(1_000_000_000L)
                : published.endsWith("M") ? BigDecimal.valueOf(1_000_000L) : BigDecimal.ONE;
        BigDecimal figure = new BigDecimal(published.replaceAll("[BM]$", ""));
        double value = figure.multiply(multiplier).doubleValue();
        double lastDigit = BigDecimal.ONE.movePointLeft(figure.scale()).multiply(multiplier).doubleValue();
        double tolerance = Math.max(0.01 * value, multiplier.equals(BigDecimal.ONE) ? 0 : lastDigit);
        assertThat((double) derived).as("%s: derived %,d vs published %s", what, derived, published)
                .isBetween(value - tolerance, value + tolerance);
    }
}
