package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.catalog.ModelArchitecture.Attention;
import dev.headroom.catalog.ModelArchitecture.Ffn;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.QkNorm;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each model type's own keys are read; small configs written here, not copies of published ones. */
class HuggingFaceImporterFamiliesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The shape every snippet starts from: 4 layers of 64, 4 heads, FFN 128, a 1,000-token vocabulary. */
    private static final String BASE = """
            "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 4, "intermediate_size": 128,
            "vocab_size": 1000, "max_position_embeddings": 8192""";

    private static HuggingFaceImporter.Imported read(String json) {
        try {
            return HuggingFaceImporter.convert("test-config.json", "test-model", MAPPER.readTree(json), "test");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelArchitecture architecture(String json) {
        return read(json).model().architecture();
    }

    private static List<LayerPlan.Layer> layers(ModelArchitecture a) {
        return LayerPlan.of(a);
    }

    @Test
    void qwen2MoeReadsTheSparseStepTheSharedExpertWidthAndMlpOnlyLayers() {
        ModelArchitecture a = architecture("""
                {"model_type": "qwen2_moe", %s, "num_key_value_heads": 2, "num_experts": 8, "num_experts_per_tok": 2,
                 "moe_intermediate_size": 32, "shared_expert_intermediate_size": 96, "decoder_sparse_step": 2,
                 "mlp_only_layers": [3]}""".formatted(BASE));

        assertThat(a.moe().layerStep()).isEqualTo(2);
        assertThat(a.moe().sharedExpertFfnSize()).isEqualTo(96);
        assertThat(a.moe().shared()).isEqualTo(1);
        assertThat(a.attentionBias()).isTrue(); // qkv_bias defaults to true
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn)
                .containsExactly(Ffn.DENSE, Ffn.MOE, Ffn.DENSE, Ffn.DENSE);
    }

    @Test
    void aMissingKeyNamesTheTransformersDefaultApplied() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "qwen2_moe", %s, "num_key_value_heads": 2, "num_experts_per_tok": 2, "moe_intermediate_size": 32,
                 "shared_expert_intermediate_size": 96}""".formatted(BASE));

        assertThat(imported.model().architecture().moe().experts()).isEqualTo(60);
        assertThat(imported.notes()).contains("num_experts: absent, Qwen2MoeConfig default 60 applied",
                "decoder_sparse_step: absent, Qwen2MoeConfig default 1 applied");
    }

    @Test
    void nemotronHReadsTheHybridOverridePatternBlockByBlock() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "nemotron_h", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2,
                 "head_dim": 16, "intermediate_size": 128, "vocab_size": 1000, "max_position_embeddings": 2048,
                 "hybrid_override_pattern": "M-M*E", "mamba_num_heads": 8, "mamba_head_dim": 16,
                 "ssm_state_size": 32, "n_groups": 2, "conv_kernel": 4, "n_routed_experts": 4,
                 "num_experts_per_tok": 2, "moe_intermediate_size": 32, "moe_shared_expert_intermediate_size": 48}
                """);
        ModelArchitecture a = imported.model().architecture();

        assertThat(a.layers()).isEqualTo(5);
        assertThat(layers(a)).extracting(LayerPlan.Layer::attention)
                .containsExactly(Attention.MAMBA, Attention.NONE, Attention.MAMBA, Attention.FULL, Attention.NONE);
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn)
                .containsExactly(Ffn.NONE, Ffn.DENSE, Ffn.NONE, Ffn.NONE, Ffn.MOE);
        // NemotronHConfig's mamba_ssm_cache_dtype defaults to float32 (research note nemotron_h.md)
        assertThat(a.recurrent()).isEqualTo(new ModelArchitecture.Recurrent(2, 8, 32, 16, 4, 4));
        assertThat(imported.notes()).contains("mamba_ssm_cache_dtype: absent, NemotronHConfig default float32 applied");
        assertThat(a.ffnKind()).isEqualTo(ModelArchitecture.FfnKind.PLAIN);
        assertThat(a.normsPerLayer()).isEqualTo(1);
        assertThat(a.moe().sharedExpertFfnSize()).isEqualTo(48);
    }

    @Test
    void qwen3HasPerHeadQkNormsAndItsHeadDimDefault() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "qwen3", %s, "num_key_value_heads": 2}""".formatted(BASE));

        assertThat(imported.model().architecture().qkNorm()).isEqualTo(QkNorm.PER_HEAD);
        assertThat(imported.model().architecture().headDim()).isEqualTo(128);
        assertThat(imported.notes()).contains("head_dim: absent, Qwen3Config default 128 applied");
    }

    @Test
    void qwen3MoeHasNoSharedExpert() {
        ModelArchitecture a = architecture("""
                {"model_type": "qwen3_moe", %s, "head_dim": 16, "num_experts": 8, "num_experts_per_tok": 2,
                 "moe_intermediate_size": 32}""".formatted(BASE));

        assertThat(a.moe().shared()).isZero();
        assertThat(a.qkNorm()).isEqualTo(QkNorm.PER_HEAD);
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn).containsOnly(Ffn.MOE);
    }

    @Test
    void gemma3ReadsTheTextConfigAndSaysTheAbsentVisionTowerIsNotCounted() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "gemma3", "text_config": {"model_type": "gemma3_text", "hidden_size": 64,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "num_hidden_layers": 6,
                 "intermediate_size": 128, "sliding_window": 512}}""");
        ModelArchitecture a = imported.model().architecture();

        assertThat(a.vocabSize()).isEqualTo(262_208);
        assertThat(a.tiedEmbeddings()).isTrue();
        assertThat(LayerPlan.describeAttention(a)).isEqualTo("5 sliding (512), 1 full, in no repeating order");
        assertThat(a.visionParameters()).isNull();
        assertThat(imported.notes()).contains("text_config.vocab_size: absent, Gemma3TextConfig default 262208 applied")
                .anySatisfy(n -> assertThat(n).contains("vision_config: absent").contains("not counted"));
    }

    @Test
    void gemma3TextIsAcceptedAtTheTopLevel() {
        ModelArchitecture a = architecture("""
                {"model_type": "gemma3_text", %s, "head_dim": 16, "sliding_window": 4096, "layer_types":
                 ["sliding_attention", "full_attention", "sliding_attention", "full_attention"]}""".formatted(BASE));

        assertThat(LayerPlan.describeAttention(a)).isEqualTo("1 sliding (4,096) : 1 full, repeated over 4 layers (2 sliding, 2 full)");
    }

    @Test
    void llama4ReadsTheMoeStepTheDenseWidthAndTheChunkedLayers() {
        ModelArchitecture a = architecture("""
                {"model_type": "llama4_text", %s, "num_key_value_heads": 2, "head_dim": 16, "intermediate_size_mlp": 256,
                 "num_local_experts": 4, "interleave_moe_layer_step": 2, "attention_chunk_size": 1024,
                 "no_rope_layers": []}""".formatted(BASE));

        assertThat(a.ffnSize()).isEqualTo(256);
        assertThat(a.moe().expertFfnSize()).isEqualTo(128);
        assertThat(a.moe().shared()).isEqualTo(1);
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn)
                .containsExactly(Ffn.DENSE, Ffn.MOE, Ffn.DENSE, Ffn.MOE);
        assertThat(layers(a)).extracting(LayerPlan.Layer::attention)
                .containsExactly(Attention.CHUNKED, Attention.CHUNKED, Attention.CHUNKED, Attention.FULL);
    }

    @Test
    void gptOssHasSinksBiasesAndItsLayerTypes() {
        ModelArchitecture a = architecture("""
                {"model_type": "gpt_oss", %s, "head_dim": 16, "num_key_value_heads": 2, "num_local_experts": 8,
                 "sliding_window": 64, "layer_types": ["sliding_attention", "full_attention",
                 "sliding_attention", "full_attention"]}""".formatted(BASE));

        assertThat(a.attentionSinks()).isTrue();
        assertThat(a.attentionBias()).isTrue();
        assertThat(a.mlpBias()).isTrue();
        assertThat(a.moe().activeExperts()).isEqualTo(4); // GptOssConfig default
        assertThat(LayerPlan.describeAttention(a)).isEqualTo("1 sliding (64) : 1 full, repeated over 4 layers (2 sliding, 2 full)");
    }

    private static final String MLA = """
            "n_routed_experts": 8, "num_experts_per_tok": 2, "n_shared_experts": 1, "moe_intermediate_size": 32,
            "first_k_dense_replace": 1, "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16,
            "qk_rope_head_dim": 8, "v_head_dim": 16""";

    @Test
    void kimiK2ReadsTheDeepSeekV3Layout() {
        ModelArchitecture a = architecture("""
                {"model_type": "kimi_k2", %s, %s, "num_nextn_predict_layers": 0}""".formatted(BASE, MLA));

        assertThat(a.mla()).isEqualTo(new ModelArchitecture.Mla(48, 32, 16, 8, 16));
        assertThat(a.moe().denseLayers()).isEqualTo(1);
        assertThat(a.headDim()).isEqualTo(24);
    }

    @Test
    void deepseekV32AddsAnIndexerToEveryLayer() {
        ModelArchitecture a = architecture("""
                {"model_type": "deepseek_v32", %s, %s, "index_n_heads": 4, "index_head_dim": 16,
                 "index_topk": 256}""".formatted(BASE, MLA));

        assertThat(a.sparseAttention()).isEqualTo(new ModelArchitecture.SparseAttention(4, 16, 256));
        assertThat(layers(a)).allMatch(LayerPlan.Layer::indexer);
    }

    @Test
    void glmMoeDsaReadsWhichLayersKeepTheirOwnIndexer() {
        ModelArchitecture a = architecture("""
                {"model_type": "glm_moe_dsa", %s, %s, "index_n_heads": 4, "index_head_dim": 16,
                 "index_topk": 256, "index_topk_pattern": "FFSF"}""".formatted(BASE, MLA));

        assertThat(layers(a)).extracting(LayerPlan.Layer::indexer).containsExactly(true, true, false, true);
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn)
                .containsExactly(Ffn.DENSE, Ffn.MOE, Ffn.MOE, Ffn.MOE);
    }

    @Test
    void glm4MoeReadsQkNormsDenseLayersAndSharedExperts() {
        ModelArchitecture a = architecture("""
                {"model_type": "glm4_moe", %s, "num_key_value_heads": 2, "head_dim": 16, "use_qk_norm": true, "attention_bias": true,
                 "n_routed_experts": 8, "n_shared_experts": 1, "first_k_dense_replace": 2,
                 "moe_intermediate_size": 32, "num_nextn_predict_layers": 1}""".formatted(BASE));

        assertThat(a.qkNorm()).isEqualTo(QkNorm.PER_HEAD);
        assertThat(a.attentionBias()).isTrue();
        assertThat(a.outputProjectionBias()).isFalse();
        assertThat(a.moe().denseLayers()).isEqualTo(2);
        assertThat(a.moe().activeExperts()).isEqualTo(8); // Glm4MoeConfig default
        assertThat(a.mtpLayers()).isEqualTo(1);
    }

    @Test
    void phimoeUsesLayerNormsAndAttentionBiases() {
        ModelArchitecture a = architecture("""
                {"model_type": "phimoe", %s, "num_key_value_heads": 2, "num_local_experts": 4,
                 "num_experts_per_tok": 2, "attention_bias": true}""".formatted(BASE));

        assertThat(a.norm()).isEqualTo(NormKind.LAYERNORM);
        assertThat(a.attentionBias()).isTrue();
        assertThat(a.moe().experts()).isEqualTo(4);
    }

    @Test
    void olmo2NormalisesQueriesAndKeysOverTheWholeProjection() {
        assertThat(architecture("""
                {"model_type": "olmo2", %s}""".formatted(BASE)).qkNorm()).isEqualTo(QkNorm.WHOLE);
    }

    @Test
    void minimaxM2ReadsNumExpertsAsTheLocalExperts() {
        ModelArchitecture a = architecture("""
                {"model_type": "minimax_m2", %s, "num_key_value_heads": 2, "head_dim": 16, "num_experts": 16}""".formatted(BASE));

        assertThat(a.moe().experts()).isEqualTo(16);
        assertThat(a.moe().expertFfnSize()).isEqualTo(128);
        assertThat(a.qkNorm()).isEqualTo(QkNorm.WHOLE);
    }

    @Test
    void graniteReadsItsBiasFlags() {
        ModelArchitecture a = architecture("""
                {"model_type": "granite", %s, "attention_bias": true, "mlp_bias": true}""".formatted(BASE));

        assertThat(a.attentionBias()).isTrue();
        assertThat(a.mlpBias()).isTrue();
    }

    @Test
    void mistral3CountsThePixtralTowerAndProjector() {
        ModelArchitecture a = architecture("""
                {"model_type": "mistral3", "spatial_merge_size": 2,
                 "text_config": {"model_type": "mistral", "hidden_size": 16, "num_attention_heads": 2,
                  "num_hidden_layers": 2, "intermediate_size": 32, "vocab_size": 100,
                  "max_position_embeddings": 512},
                 "vision_config": {"model_type": "pixtral", "hidden_size": 8, "intermediate_size": 16,
                  "num_hidden_layers": 1, "num_channels": 3, "patch_size": 2}}""");

        // tower: patches 3*2*2*8 + ln_pre 8 + one layer (4*8*8 + 3*8*16 + 2*8) = 760;
        // projector: norm 8 + merger 8*4*8 + linear_1 16*8 + linear_2 16*16 = 648
        assertThat(a.visionParameters()).isEqualTo(760 + 648);
    }

    @Test
    void qwen35ReadsTheLinearLayersEveryFullAttentionInterval() {
        ModelArchitecture a = architecture("""
                {"model_type": "qwen3_5", "text_config": {%s, "num_key_value_heads": 2, "head_dim": 16,
                 "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 8,
                 "linear_value_head_dim": 8, "linear_conv_kernel_dim": 4, "full_attention_interval": 2,
                 "mtp_num_hidden_layers": 1}}""".formatted(BASE));

        assertThat(layers(a)).extracting(LayerPlan.Layer::attention)
                .containsExactly(Attention.LINEAR, Attention.FULL, Attention.LINEAR, Attention.FULL);
        assertThat(a.recurrent()).isEqualTo(new ModelArchitecture.Recurrent(2, 4, 8, 8, 4));
        assertThat(a.attentionOutputGate()).isTrue();
        assertThat(a.mtpLayers()).isEqualTo(1);
    }

    @Test
    void qwen35MoeHasASharedExpertOnEveryLayer() {
        ModelArchitecture a = architecture("""
                {"model_type": "qwen3_5_moe", "text_config": {%s, "num_experts": 8, "moe_intermediate_size": 16,
                 "shared_expert_intermediate_size": 24, "layer_types": ["linear_attention", "linear_attention",
                 "linear_attention", "full_attention"]}}""".formatted(BASE));

        assertThat(a.moe().sharedExpertFfnSize()).isEqualTo(24);
        assertThat(layers(a)).extracting(LayerPlan.Layer::ffn).containsOnly(Ffn.MOE);
        assertThat(LayerPlan.describeAttention(a)).isEqualTo("3 linear, 1 full, in no repeating order");
    }

    @Test
    void deepseekV4ReadsCompressionGroupedOutputAndHyperConnections() {
        ModelArchitecture a = architecture("""
                {"model_type": "deepseek_v4", %s, "num_key_value_heads": 1, "head_dim": 32, "q_lora_rank": 24,
                 "o_groups": 2, "o_lora_rank": 16, "hc_mult": 2, "num_hash_layers": 1, "sliding_window": 16,
                 "n_routed_experts": 8, "moe_intermediate_size": 32, "index_n_heads": 2, "index_head_dim": 8,
                 "compress_ratios": [0, 4, 128, 4, 0]}""".formatted(BASE));

        assertThat(a.outputLora()).isEqualTo(new ModelArchitecture.OutputLora(2, 16));
        assertThat(a.queryLoraRank()).isEqualTo(24);
        assertThat(a.hyperConnections()).isEqualTo(2);
        assertThat(a.moe().hashRoutedLayers()).isEqualTo(1);
        assertThat(LayerPlan.describeAttention(a)).isEqualTo("1 sliding (16), 2 compressed /4 + 16 raw, 1 compressed /128 + 16 raw, in no repeating order");
        assertThat(layers(a)).extracting(LayerPlan.Layer::indexer).containsExactly(false, true, false, true);
        assertThat(layers(a)).extracting(LayerPlan.Layer::kvFactor).containsOnly(1);
    }

    @Test
    void gemma4ReadsGlobalHeadsKeysEqualToValuesAndKvSharedLayers() {
        ModelArchitecture a = architecture("""
                {"model_type": "gemma4_text", %s, "num_key_value_heads": 2, "head_dim": 16,
                 "global_head_dim": 32, "num_global_key_value_heads": 1, "attention_k_eq_v": true,
                 "num_kv_shared_layers": 1, "hidden_size_per_layer_input": 0,
                 "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "sliding_attention"]}
                """.formatted(BASE));
        List<LayerPlan.Layer> layers = layers(a);

        assertThat(layers.get(1).headDim()).isEqualTo(32);
        assertThat(layers.get(1).kvHeads()).isEqualTo(1);
        assertThat(layers.get(1).kvFactor()).isEqualTo(1);
        assertThat(layers.get(0).kvFactor()).isEqualTo(2);
        assertThat(layers.get(3).attention()).isEqualTo(Attention.FULL); // the last layer is always full
        assertThat(layers.get(3).kvFactor()).isZero(); // KV-shared: nothing projected, nothing cached
    }

    @Test
    void kimiK25SaysItsVisionTowerIsNotCounted() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "kimi_k25", "text_config": {"model_type": "kimi_k2", %s, %s},
                 "vision_config": {"model_type": "moonvit", "hidden_size": 32}}""".formatted(BASE, MLA));

        assertThat(imported.model().architecture().visionParameters()).isNull();
        assertThat(imported.notes()).anySatisfy(n -> assertThat(n).contains("kimi_k25 vision tower")
                .contains("not counted"));
    }

    @Test
    void aWrapperWithoutTextConfigNamesIt() {
        assertThatThrownBy(() -> read("{\"model_type\": \"llama4\"}"))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("field text_config = (missing): is required for model_type llama4");
    }
}
