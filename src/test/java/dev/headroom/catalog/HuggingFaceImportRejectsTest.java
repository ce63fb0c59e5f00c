package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.catalog.ModelArchitecture.Attention;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed configs are refused with one message that names the key as the config spells it, the value and the
 * rule, instead of being stretched, clamped or read as a default (review of issue 14, H1 to H4 and L1). Small
 * configs written here.
 */
class HuggingFaceImportRejectsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** 4 layers of 64, 4 heads with 2 KV heads of 16, FFN 128, a 1,000-token vocabulary, 8,192 positions. */
    private static final String BASE = """
            "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
            "num_hidden_layers": 4, "intermediate_size": 128, "vocab_size": 1000, "max_position_embeddings": 8192""";

    private static final String MLA = """
            "n_routed_experts": 8, "num_experts_per_tok": 2, "n_shared_experts": 1, "moe_intermediate_size": 32,
            "first_k_dense_replace": 1, "q_lora_rank": 48, "kv_lora_rank": 32, "qk_nope_head_dim": 16,
            "qk_rope_head_dim": 8, "v_head_dim": 16""";

    private static final String V4 = """
            "model_type": "deepseek_v4", %s, "q_lora_rank": 24, "o_groups": 2, "o_lora_rank": 16, "hc_mult": 2,
            "num_hash_layers": 1, "sliding_window": 16, "n_routed_experts": 8, "moe_intermediate_size": 32,
            "index_n_heads": 2, "index_head_dim": 8""".formatted(BASE);

    private static final String LLAMA4 = """
            "model_type": "llama4_text", %s, "intermediate_size_mlp": 256, "num_local_experts": 4,
            "attention_chunk_size": 1024""".formatted(BASE);

    private static final String QWEN35 = """
            %s, "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 8,
            "linear_value_head_dim": 8, "linear_conv_kernel_dim": 4""".formatted(BASE);

    private static final String NEMOTRON = """
            "model_type": "nemotron_h", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2,
            "head_dim": 16, "intermediate_size": 128, "vocab_size": 1000, "max_position_embeddings": 2048,
            "mamba_num_heads": 8, "mamba_head_dim": 16, "ssm_state_size": 32, "n_groups": 2, "conv_kernel": 4""";

    private static final String GEMMA3_VISION = """
            {"model_type": "gemma3", "text_config": {"model_type": "gemma3_text", %s, "sliding_window": 512},
             "vision_config": %s}""";

    private static HuggingFaceImporter.Imported read(String json) {
        try {
            return HuggingFaceImporter.convert("test-config.json", "test-model", MAPPER.readTree(json), "test");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The import fails with exactly one problem: this key, this value, a rule saying this. */
    private static void rejects(String json, String key, String value, String rule) {
        CatalogException e = catchThrowableOfType(() -> read(json), CatalogException.class);
        assertThat(e).as("import of %s", json).isNotNull();
        assertThat(e.problems()).as(e.getMessage()).hasSize(1);
        Problem problem = e.problems().get(0);
        assertThat(problem.field()).isEqualTo(key);
        assertThat(String.valueOf(problem.value())).isEqualTo(value);
        assertThat(problem.rule()).contains(rule);
    }

    // H1: per-layer lists have one entry per layer and only known words

    @Test
    void aLayerTypesListShorterThanTheLayersIsRefusedNotRepeated() {
        rejects("""
                {"model_type": "gemma3", "text_config": {"model_type": "gemma3_text", %s, "sliding_window": 512,
                 "layer_types": ["sliding_attention", "full_attention"]}}""".formatted(BASE),
                "text_config.layer_types", "2 entries", "must have 4 entries, one per layer (num_hidden_layers = 4)");
    }

    @Test
    void anEmptyLayerTypesListIsAWrongLengthNotAnAbsentKey() {
        rejects("""
                {"model_type": "gpt_oss", %s, "num_local_experts": 8, "sliding_window": 64, "layer_types": []}"""
                .formatted(BASE), "layer_types", "0 entries", "must have 4 entries");
    }

    @Test
    void anUnknownLayerTypeIsNamedOnceWithTheAllowedWords() {
        rejects("""
                {%s, "layer_types": ["chunked_attention", "sliding_attention", "sliding_attention",
                 "full_attention"]}""".formatted(LLAMA4),
                "layer_types", "\"sliding_attention\"", "each entry must be one of chunked_attention, full_attention");
        rejects("""
                {"model_type": "gemma4_text", %s, "global_head_dim": 32, "hidden_size_per_layer_input": 0,
                 "layer_types": ["chunked_attention", "chunked_attention", "chunked_attention", "full_attention"]}"""
                .formatted(BASE), "layer_types", "\"chunked_attention\"",
                "each entry must be one of sliding_attention, full_attention");
        rejects("""
                {"model_type": "qwen3_5_text", %s, "layer_types": ["mamba", "mamba", "mamba", "full_attention"]}"""
                .formatted(QWEN35), "layer_types", "\"mamba\"", "one of linear_attention, full_attention");
    }

    @Test
    void noRopeLayersNeedOneFlagPerLayer() {
        rejects("""
                {%s, "no_rope_layers": [1, 1, 0]}""".formatted(LLAMA4),
                "no_rope_layers", "3 entries", "must have 4 entries");
        rejects("""
                {%s, "no_rope_layers": [1, 5, 1, 0]}""".formatted(LLAMA4),
                "no_rope_layers", "[5]", "each entry must be one of [0, 1]");
    }

    @Test
    void layerIndexesMustNameExistingLayers() {
        rejects("""
                {%s, "moe_layers": [1, 99]}""".formatted(LLAMA4),
                "moe_layers", "[99]", "between 0 and 3 (num_hidden_layers - 1)");
        rejects("""
                {"model_type": "qwen3_moe", %s, "num_experts": 8, "num_experts_per_tok": 2,
                 "moe_intermediate_size": 32, "mlp_only_layers": [0, 100]}""".formatted(BASE),
                "mlp_only_layers", "[100]", "between 0 and 3");
    }

    @Test
    void compressRatiosHaveOneEntryPerLayerOrOneMoreForTheMtpLayer() {
        rejects("{%s, \"compress_ratios\": []}".formatted(V4),
                "compress_ratios", "0 entries", "4 entries, one per layer, or 5 with the MTP layer's last");
        rejects("{%s, \"compress_ratios\": [0, 4, 128, 4, 0, 4]}".formatted(V4), "compress_ratios", "6 entries",
                "4 entries");
        rejects("{%s, \"compress_ratios\": [0, 4, 7, 4]}".formatted(V4), "compress_ratios", "[7]",
                "each entry must be one of [0, 4, 128]");
        ModelArchitecture withMtp = read("{%s, \"compress_ratios\": [0, 4, 128, 4, 0]}".formatted(V4)).model()
                .architecture();
        assertThat(LayerPlan.of(withMtp)).hasSize(4);
    }

    @Test
    void glmIndexerListsAreCheckedWordByWordAndLetterByLetter() {
        String glm = "\"model_type\": \"glm_moe_dsa\", %s, %s, \"index_n_heads\": 4, \"index_head_dim\": 16"
                .formatted(BASE, MLA);
        rejects("{%s, \"indexer_types\": [\"full\", \"shared\"]}".formatted(glm), "indexer_types", "2 entries",
                "must have 4 entries");
        rejects("{%s, \"indexer_types\": [\"full\", \"bogus\", \"full\", \"bogus\"]}".formatted(glm),
                "indexer_types", "\"bogus\"", "one of full, shared");
        rejects("{%s, \"index_topk_pattern\": \"FSXF\"}".formatted(glm), "index_topk_pattern", "X",
                "each letter must be one of FS");
    }

    @Test
    void aNemotronPatternMustAgreeWithNumHiddenLayers() {
        rejects("{%s, \"num_hidden_layers\": 6, \"hybrid_override_pattern\": \"M-M*\"}".formatted(NEMOTRON),
                "hybrid_override_pattern", "4 letters", "must have 6 letters");
        rejects("{%s, \"hybrid_override_pattern\": \"m-m*\"}".formatted(NEMOTRON), "hybrid_override_pattern", "m",
                "each letter must be one of M*-E");
        rejects("{%s, \"hybrid_override_pattern\": \"\"}".formatted(NEMOTRON), "hybrid_override_pattern", "\"\"",
                "must be a string of one letter per layer");
    }

    // H2: zero or out-of-range values are refused, not clamped

    @Test
    void zeroPeriodsAreRefused() {
        rejects("""
                {"model_type": "gemma3_text", %s, "sliding_window": 512, "sliding_window_pattern": 0}"""
                .formatted(BASE), "sliding_window_pattern", "0", "must be 1 or more");
        rejects("""
                {"model_type": "qwen3_5_text", %s, "full_attention_interval": 0}""".formatted(QWEN35),
                "full_attention_interval", "0", "must be 1 or more");
        rejects("""
                {"model_type": "glm_moe_dsa", %s, %s, "index_n_heads": 4, "index_head_dim": 16,
                 "index_topk_freq": 0}""".formatted(BASE, MLA), "index_topk_freq", "0", "must be 1 or more");
        rejects("""
                {"model_type": "deepseek_v3", %s, %s, "moe_layer_freq": 0}""".formatted(BASE, MLA),
                "moe_layer_freq", "0", "must be 1 or more");
    }

    @Test
    void aSlidingWindowInUseMustHoldATokenAndOneThatIsOffIsNotRead() {
        rejects("""
                {"model_type": "qwen3", %s, "use_sliding_window": true, "sliding_window": 0}""".formatted(BASE),
                "sliding_window", "0", "must be 1 or more");
        ModelArchitecture off = read("""
                {"model_type": "qwen3", %s, "use_sliding_window": false, "sliding_window": 0}""".formatted(BASE))
                .model().architecture();
        assertThat(off.layerPattern()).isNull();
    }

    @Test
    void countsBoundedByTheLayersOrHeadsNameTheirKey() {
        String gemma4 = """
                "model_type": "gemma4_text", %s, "global_head_dim": 32, "hidden_size_per_layer_input": 0,
                "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"]"""
                .formatted(BASE);
        rejects("{%s, \"num_kv_shared_layers\": 4}".formatted(gemma4), "num_kv_shared_layers", "4",
                "between 0 and 3");
        rejects("{%s, \"attention_k_eq_v\": true, \"num_global_key_value_heads\": 3}".formatted(gemma4),
                "num_global_key_value_heads", "3", "must divide num_attention_heads (4)");
        rejects("{%s}".formatted(V4.replace("\"o_groups\": 2", "\"o_groups\": 3")), "o_groups", "3",
                "must divide num_attention_heads (4)");
        rejects("{%s, \"interleave_moe_layer_step\": 9}".formatted(LLAMA4), "interleave_moe_layer_step", "9",
                "between 1 and 4 (num_hidden_layers)");
        rejects("""
                {"model_type": "deepseek_v3", %s, %s}""".formatted(BASE, MLA.replace(
                        "\"first_k_dense_replace\": 1", "\"first_k_dense_replace\": 4")),
                "first_k_dense_replace", "4", "between 0 and 3");
    }

    @Test
    void kvSharedLayersNeedAnEarlierLayerOfTheirKind() {
        rejects("""
                {"model_type": "gemma4_text", %s, "global_head_dim": 32, "hidden_size_per_layer_input": 0,
                 "num_kv_shared_layers": 1, "layer_types": ["sliding_attention", "sliding_attention",
                 "sliding_attention", "full_attention"]}""".formatted(BASE),
                "num_kv_shared_layers", "1", "leaves no earlier full_attention layer");
    }

    @Test
    void aLayerGroupsKvHeadsMustDivideTheAttentionHeads() {
        ModelArchitecture plain = ModelArchitecture.plain(4, 64, 4, 2, 16, 128, ModelArchitecture.FfnKind.GATED,
                1000, false, 8192);
        ModelArchitecture a = plain.withLayerPattern(List.of(new ModelArchitecture.LayerGroup(1, Attention.FULL,
                null, 3, null, null, null, null)));
        Model model = new Model("m", "M", "llama", null, a, null, null, null, null,
                List.of(new Source(List.of("architecture"), "test", null, "2026-12-02")));

        assertThat(CatalogValidator.validate("models.json", model)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("architecture.layerPattern[0].kvHeads");
            assertThat(p.rule()).isEqualTo("must divide architecture.attentionHeads (4)");
        });
    }

    // H3: booleans are JSON booleans

    @Test
    void aFlagThatIsNotABooleanIsRefused() {
        for (String value : List.of("1", "\"yes\"", "{}")) {
            rejects("""
                    {"model_type": "qwen3", %s, "tie_word_embeddings": %s}""".formatted(BASE, value),
                    "tie_word_embeddings", value, "must be true or false (a JSON boolean)");
        }
        rejects("""
                {"model_type": "gpt_oss", %s, "num_local_experts": 8, "attention_bias": "no"}""".formatted(BASE),
                "attention_bias", "\"no\"", "must be true or false");
    }

    // H4: the vision tower

    @Test
    void aVisionConfigThatIsNotAnObjectIsMalformedNotAbsent() {
        rejects(GEMMA3_VISION.formatted(BASE, "\"x\""), "vision_config", "\"x\"", "must be an object");
    }

    @Test
    void visionSizesMustBePositiveAndThePatchMustFitTheImage() {
        rejects(GEMMA3_VISION.formatted(BASE, "{\"hidden_size\": 0}"), "vision_config.hidden_size", "0",
                "must be 1 or more");
        rejects(GEMMA3_VISION.formatted(BASE, "{\"hidden_size\": 2000000}"), "vision_config.hidden_size",
                "2000000", "between 1 and 1048576");
        rejects(GEMMA3_VISION.formatted(BASE, "{\"image_size\": 224, \"patch_size\": 448}"),
                "vision_config.patch_size", "448", "between 1 and 224 (image_size)");
        rejects(GEMMA3_VISION.formatted(BASE, "{\"patch_size\": 0}"), "vision_config.patch_size", "0",
                "must be 1 or more");
    }

    @Test
    void theValidatorBoundsVisionParameters() {
        ModelArchitecture a = new ModelArchitecture(4, 64, 4, 2, 16, 128, ModelArchitecture.FfnKind.GATED, 1000,
                false, 8192, ModelArchitecture.PositionEmbedding.ROPE, 0, ModelArchitecture.NormKind.RMSNORM, 2,
                false, false, false, null, null, null, null, null, null, null, null, null, null, 2_000_000_000_000L);
        Model model = new Model("m", "M", "llama", null, a, null, null, null, null,
                List.of(new Source(List.of("architecture"), "test", null, "2026-12-02")));

        assertThat(CatalogValidator.validate("models.json", model)).singleElement()
                .satisfies(p -> assertThat(p.field()).isEqualTo("architecture.visionParameters"));
    }

    // L1: one message per mistake

    @Test
    void zeroHeadsIsOneMessageNotACascadeOverTheKvHeads() {
        rejects("""
                {"model_type": "qwen3", %s}""".formatted(BASE.replace("\"num_attention_heads\": 4",
                "\"num_attention_heads\": 0")), "num_attention_heads", "0", "must be 1 or more");
        rejects("""
                {"model_type": "qwen3_moe", %s, "num_experts": 1, "num_experts_per_tok": 2,
                 "moe_intermediate_size": 32}""".formatted(BASE), "num_experts", "1", "must be 2 or more");
    }

    @Test
    void aSlidingWindowOfZeroIsNamedByItsKeyOnce() {
        rejects("""
                {"model_type": "gpt_oss", %s, "num_local_experts": 8, "sliding_window": 0}""".formatted(BASE),
                "sliding_window", "0", "must be 1 or more");
    }

    // L2/L5: cyclic patterns are stored as their cycle

    @Test
    void aRepeatingLayerListIsStoredAsItsCycle() {
        ModelArchitecture a = read("""
                {"model_type": "qwen3_5_text", %s, "num_hidden_layers": 8, "layer_types": ["linear_attention",
                 "linear_attention", "linear_attention", "full_attention", "linear_attention", "linear_attention",
                 "linear_attention", "full_attention"]}""".formatted(QWEN35.replace("\"num_hidden_layers\": 4, ", "")))
                .model().architecture();

        assertThat(a.layerPattern())
                .extracting(ModelArchitecture.LayerGroup::count, ModelArchitecture.LayerGroup::attention)
                .containsExactly(tuple(3, Attention.LINEAR), tuple(1, Attention.FULL));
        assertThat(LayerPlan.of(a)).extracting(LayerPlan.Layer::attention).containsExactly(Attention.LINEAR,
                Attention.LINEAR, Attention.LINEAR, Attention.FULL, Attention.LINEAR, Attention.LINEAR,
                Attention.LINEAR, Attention.FULL);
    }

    // M2: the recurrent state's dtype

    @Test
    void theStateDtypeIsReadFromTheConfig() {
        ModelArchitecture a = read("""
                {"model_type": "qwen3_5_text", %s, "mamba_ssm_dtype": "float32"}""".formatted(QWEN35))
                .model().architecture();
        assertThat(a.recurrent().stateBytes()).isEqualTo(4);

        HuggingFaceImporter.Imported absent = read("""
                {"model_type": "qwen3_5_text", %s}""".formatted(QWEN35));
        assertThat(absent.model().architecture().recurrent().stateBytes()).isNull();
        assertThat(absent.notes()).contains("mamba_ssm_dtype: absent, the state is taken in the model's dtype");

        rejects("""
                {"model_type": "qwen3_5_text", %s, "mamba_ssm_dtype": "float8"}""".formatted(QWEN35),
                "mamba_ssm_dtype", "float8", "must be one of float32, bfloat16, float16");
    }

    // L6: a window no context reaches

    @Test
    void aWindowAtTheMaximumContextIsFullAttentionWithANote() {
        HuggingFaceImporter.Imported imported = read("""
                {"model_type": "phimoe", %s, "num_local_experts": 4, "num_experts_per_tok": 2,
                 "sliding_window": 8192}""".formatted(BASE));

        assertThat(imported.model().architecture().layerPattern()).isNull();
        assertThat(imported.notes()).contains("sliding_window: 8192 is at or above max_position_embeddings (8192), so"
                + " no token ever leaves the window: counted as full attention");
    }
}
