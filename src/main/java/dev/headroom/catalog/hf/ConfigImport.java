package dev.headroom.catalog.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a config.json into an architecture by its model_type. Multimodal wrappers are read through their
 * {@code text_config}; their vision tower is counted where the wrapper's vision_config gives its shape.
 * Defaults are those of each model type's transformers configuration class, taken from the research notes in
 * /tmp/research/layouts/&lt;model_type&gt;.md (which cite the class files); families without a table here (the
 * first seven, Granite, Phi-3.5-MoE, Kimi K2) need every shape key in the config.
 */
public final class ConfigImport {

    /**
     * @param textType the model_type whose layout was read (the text model's, for a wrapper)
     * @param notes    every default applied and everything not counted, in words
     */
    public record Result(ModelArchitecture architecture, String textType, List<String> notes) {
    }

    private static final Map<String, Family> TEXT = new LinkedHashMap<>();
    /** Multimodal wrapper model_type and the text model_type its text_config has when it does not say. */
    private static final Map<String, String> WRAPPERS = new LinkedHashMap<>();

    static {
        HfConfig.Defaults none = HfConfig.Defaults.NONE;
        TEXT.put("llama", new Family(none, DenseFamilies::llama));
        TEXT.put("mistral", new Family(none, DenseFamilies::llama));
        TEXT.put("mixtral", new Family(none, MoeFamilies::mixtral));
        TEXT.put("qwen2", new Family(none, DenseFamilies::qwen2));
        TEXT.put("gemma2", new Family(none, DenseFamilies::gemma2));
        TEXT.put("phi3", new Family(none, DenseFamilies::llama));
        TEXT.put("deepseek_v3", new Family(none, DeepSeekFamilies::v3));
        TEXT.put("qwen3", new Family(Family.defaults("Qwen3Config", "vocab_size", 151936, "hidden_size", 4096,
                "intermediate_size", 22016, "num_hidden_layers", 32, "num_attention_heads", 32,
                "num_key_value_heads", 32, "head_dim", 128, "tie_word_embeddings", false, "attention_bias", false,
                "use_sliding_window", false, "sliding_window", 4096, "max_window_layers", 28), DenseFamilies::qwen3));
        TEXT.put("qwen3_moe", new Family(Family.defaults("Qwen3MoeConfig", "vocab_size", 151936,
                "hidden_size", 2048, "intermediate_size", 6144, "num_hidden_layers", 24, "num_attention_heads", 32,
                "num_key_value_heads", 4, "tie_word_embeddings", false, "attention_bias", false,
                "use_sliding_window", false, "sliding_window", 4096, "decoder_sparse_step", 1,
                "moe_intermediate_size", 768, "num_experts_per_tok", 8, "num_experts", 128),
                c -> MoeFamilies.qwenMoe(c, true)));
        TEXT.put("qwen2_moe", new Family(Family.defaults("Qwen2MoeConfig", "vocab_size", 151936,
                "hidden_size", 2048, "intermediate_size", 5632, "num_hidden_layers", 24, "num_attention_heads", 16,
                "num_key_value_heads", 16, "tie_word_embeddings", false, "use_sliding_window", false,
                "sliding_window", 4096, "max_window_layers", 28, "decoder_sparse_step", 1,
                "moe_intermediate_size", 1408, "shared_expert_intermediate_size", 5632, "num_experts_per_tok", 4,
                "num_experts", 60, "qkv_bias", true), c -> MoeFamilies.qwenMoe(c, false)));
        TEXT.put("gemma3_text", new Family(Family.defaults("Gemma3TextConfig", "vocab_size", 262208,
                "hidden_size", 2304, "intermediate_size", 9216, "num_hidden_layers", 26, "num_attention_heads", 8,
                "num_key_value_heads", 4, "head_dim", 256, "max_position_embeddings", 131072,
                "tie_word_embeddings", true, "attention_bias", false, "sliding_window", 4096,
                "sliding_window_pattern", 6), DenseFamilies::gemma3));
        TEXT.put("llama4_text", new Family(Family.defaults("Llama4TextConfig", "vocab_size", 202048,
                "hidden_size", 5120, "intermediate_size", 8192, "intermediate_size_mlp", 16384,
                "num_hidden_layers", 48, "num_attention_heads", 40, "num_key_value_heads", 8, "head_dim", 128,
                "tie_word_embeddings", false, "num_experts_per_tok", 1, "num_local_experts", 16,
                "interleave_moe_layer_step", 1, "use_qk_norm", true, "no_rope_layer_interval", 4,
                "attention_chunk_size", 8192, "attention_bias", false), MoeFamilies::llama4));
        TEXT.put("gpt_oss", new Family(Family.defaults("GptOssConfig", "num_hidden_layers", 36,
                "num_local_experts", 128, "vocab_size", 201088, "hidden_size", 2880, "intermediate_size", 2880,
                "head_dim", 64, "num_attention_heads", 64, "num_key_value_heads", 8, "sliding_window", 128,
                "tie_word_embeddings", false, "num_experts_per_tok", 4, "attention_bias", true),
                MoeFamilies::gptOss));
        TEXT.put("kimi_k2", new Family(none, DeepSeekFamilies::v3));
        TEXT.put("glm4_moe", new Family(Family.defaults("Glm4MoeConfig", "vocab_size", 151552,
                "hidden_size", 4096, "intermediate_size", 10944, "num_hidden_layers", 46, "num_attention_heads", 96,
                "num_key_value_heads", 8, "max_position_embeddings", 131072, "tie_word_embeddings", false,
                "attention_bias", false, "moe_intermediate_size", 1408, "num_experts_per_tok", 8),
                MoeFamilies::glm4Moe));
        TEXT.put("phimoe", new Family(none, MoeFamilies::phimoe));
        TEXT.put("olmo2", new Family(Family.defaults("Olmo2Config", "vocab_size", 50304, "hidden_size", 4096,
                "intermediate_size", 11008, "num_hidden_layers", 32, "num_attention_heads", 32,
                "max_position_embeddings", 2048, "tie_word_embeddings", false, "attention_bias", false),
                DenseFamilies::olmo2));
        TEXT.put("granite", new Family(none, DenseFamilies::llama));
        TEXT.put("qwen3_5_text", new Family(Family.defaults("Qwen3_5TextConfig", "vocab_size", 248320,
                "hidden_size", 4096, "intermediate_size", 12288, "num_hidden_layers", 32, "num_attention_heads", 16,
                "num_key_value_heads", 4, "head_dim", 256, "tie_word_embeddings", false, "attention_bias", false,
                "linear_conv_kernel_dim", 4, "linear_key_head_dim", 128, "linear_value_head_dim", 128,
                "linear_num_key_heads", 16, "linear_num_value_heads", 32, "full_attention_interval", 4),
                c -> HybridFamilies.qwen35(c, false)));
        TEXT.put("qwen3_5_moe_text", new Family(Family.defaults("Qwen3_5MoeTextConfig", "vocab_size", 248320,
                "hidden_size", 2048, "num_hidden_layers", 40, "num_attention_heads", 16, "num_key_value_heads", 2,
                "head_dim", 256, "tie_word_embeddings", false, "attention_bias", false, "linear_conv_kernel_dim", 4,
                "linear_key_head_dim", 128, "linear_value_head_dim", 128, "linear_num_key_heads", 16,
                "linear_num_value_heads", 32, "moe_intermediate_size", 512, "shared_expert_intermediate_size", 512,
                "num_experts_per_tok", 8, "num_experts", 256, "full_attention_interval", 4),
                c -> HybridFamilies.qwen35(c, true)));
        TEXT.put("deepseek_v32", new Family(Family.defaults("DeepseekV32Config", "vocab_size", 129280,
                "hidden_size", 7168, "intermediate_size", 18432, "moe_intermediate_size", 2048,
                "num_hidden_layers", 61, "num_attention_heads", 128, "num_key_value_heads", 128,
                "n_shared_experts", 1, "n_routed_experts", 256, "kv_lora_rank", 512, "q_lora_rank", 1536,
                "qk_rope_head_dim", 64, "v_head_dim", 128, "qk_nope_head_dim", 128, "num_experts_per_tok", 8,
                "first_k_dense_replace", 3, "tie_word_embeddings", false, "index_topk", 2048,
                "index_head_dim", 128, "index_n_heads", 64), DeepSeekFamilies::v32));
        TEXT.put("deepseek_v4", new Family(Family.defaults("DeepseekV4Config", "vocab_size", 129280,
                "hidden_size", 4096, "moe_intermediate_size", 2048, "num_hidden_layers", 43,
                "num_attention_heads", 64, "num_key_value_heads", 1, "head_dim", 512, "q_lora_rank", 1024,
                "num_experts_per_tok", 6, "n_routed_experts", 256, "n_shared_experts", 1, "hc_mult", 4,
                "num_hash_layers", 3, "sliding_window", 128, "o_groups", 8, "o_lora_rank", 1024,
                "index_n_heads", 64, "index_head_dim", 128, "index_topk", 512, "num_nextn_predict_layers", 1,
                "tie_word_embeddings", false, "attention_bias", false), DeepSeekFamilies::v4));
        TEXT.put("glm_moe_dsa", new Family(Family.defaults("GlmMoeDsaConfig", "vocab_size", 154880,
                "hidden_size", 6144, "intermediate_size", 12288, "moe_intermediate_size", 2048,
                "num_hidden_layers", 78, "num_attention_heads", 64, "num_key_value_heads", 64,
                "n_shared_experts", 1, "n_routed_experts", 256, "kv_lora_rank", 512, "q_lora_rank", 2048,
                "qk_rope_head_dim", 64, "v_head_dim", 256, "qk_nope_head_dim", 192, "num_experts_per_tok", 8,
                "max_position_embeddings", 202752, "index_topk", 2048, "index_head_dim", 128, "index_n_heads", 32,
                "first_k_dense_replace", 3, "tie_word_embeddings", false, "index_topk_freq", 1,
                "index_skip_topk_offset", 2), DeepSeekFamilies::glmMoeDsa));
        TEXT.put("gemma4_text", new Family(Family.defaults("Gemma4TextConfig", "vocab_size", 262144,
                "hidden_size", 2304, "intermediate_size", 9216, "num_hidden_layers", 30, "num_attention_heads", 8,
                "num_key_value_heads", 4, "head_dim", 256, "global_head_dim", 512, "tie_word_embeddings", true,
                "attention_bias", false, "sliding_window", 512, "vocab_size_per_layer_input", 262144,
                "hidden_size_per_layer_input", 256, "attention_k_eq_v", false, "num_kv_shared_layers", 0,
                "enable_moe_block", false, "use_double_wide_mlp", false), Gemma4Family::text));
        TEXT.put("minimax_m2", new Family(Family.defaults("MiniMaxM2Config", "vocab_size", 200064,
                "hidden_size", 3072, "intermediate_size", 1536, "num_hidden_layers", 62, "num_attention_heads", 48,
                "num_key_value_heads", 8, "head_dim", 128, "max_position_embeddings", 196608,
                "tie_word_embeddings", false, "num_experts_per_tok", 8, "num_local_experts", 256),
                MoeFamilies::minimaxM2));
        TEXT.put("nemotron_h", new Family(Family.defaults("NemotronHConfig", "vocab_size", 131072,
                "hidden_size", 4096, "tie_word_embeddings", false, "num_attention_heads", 32,
                "num_key_value_heads", 8, "head_dim", 128, "max_position_embeddings", 4096,
                "attention_bias", false, "intermediate_size", 21504, "mlp_bias", false, "ssm_state_size", 128,
                "mamba_num_heads", 128, "mamba_head_dim", 64, "n_groups", 8, "conv_kernel", 4,
                "n_routed_experts", 8, "n_shared_experts", 1, "moe_intermediate_size", 7688,
                "moe_shared_expert_intermediate_size", 7688, "num_experts_per_tok", 2,
                "num_nextn_predict_layers", 0), HybridFamilies::nemotronH));

        WRAPPERS.put("gemma3", "gemma3_text");
        WRAPPERS.put("llama4", "llama4_text");
        WRAPPERS.put("mistral3", "mistral");
        WRAPPERS.put("qwen3_5", "qwen3_5_text");
        WRAPPERS.put("qwen3_5_moe", "qwen3_5_moe_text");
        WRAPPERS.put("gemma4", "gemma4_text");
        WRAPPERS.put("kimi_k25", "kimi_k2");
    }

    /** model_type values a config.json may carry at the top level: text models first, then wrappers. */
    public static final List<String> SUPPORTED = supported();

    private static List<String> supported() {
        List<String> all = new ArrayList<>(TEXT.keySet());
        all.addAll(WRAPPERS.keySet());
        return List.copyOf(all);
    }

    /** Keys Mistral 3's projector reads from the wrapper (Mistral3Config). */
    private static final HfConfig.Defaults MISTRAL3 = Family.defaults("Mistral3Config", "spatial_merge_size", 2,
            "multimodal_projector_bias", false);

    private ConfigImport() {
    }

    /** @param file the name used in messages */
    public static Result read(String file, JsonNode config, String type) {
        List<Problem> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        JsonNode text = config;
        JsonNode wrapper = null;
        String textType = type;
        String prefix = "";
        if (WRAPPERS.containsKey(type)) {
            wrapper = config;
            text = config.get("text_config");
            if (text == null || !text.isObject()) {
                throw new CatalogException(List.of(new Problem(file, null, "text_config", null,
                        "is required for model_type " + type + " (the language model's shape)")));
            }
            JsonNode inner = text.get("model_type");
            textType = inner == null || inner.isNull() ? WRAPPERS.get(type) : inner.asText();
            if (!TEXT.containsKey(textType)) {
                throw new CatalogException(List.of(new Problem(file, null, "text_config.model_type", textType,
                        "is not supported; supported text model types: " + String.join(", ", TEXT.keySet()))));
            }
            prefix = "text_config.";
        }
        Family family = TEXT.get(textType);
        HfConfig reader = new HfConfig(file, textType, prefix, text, wrapper, family.defaults(), problems, notes);
        ModelArchitecture architecture = family.reader().apply(reader);
        reader.throwIfProblems();
        if (wrapper != null) {
            architecture = withVision(file, type, wrapper, architecture, problems, notes);
        }
        return new Result(architecture, textType, List.copyOf(notes));
    }

    private static ModelArchitecture withVision(String file, String type, JsonNode wrapper, ModelArchitecture text,
                                                List<Problem> problems, List<String> notes) {
        JsonNode vision = wrapper.get("vision_config");
        if (vision == null || vision.isNull()) {
            notes.add("vision_config: absent, so the vision tower's parameters are not counted");
            return text;
        }
        if (!vision.isObject()) {
            throw new CatalogException(List.of(new Problem(file, null, "vision_config", vision,
                    "must be an object (the vision tower's shape), or be left out")));
        }
        HfConfig.Defaults defaults = VisionTowers.defaultsFor(type);
        if (defaults == null) {
            notes.add("vision_config: the " + type + " vision tower's layout is not known here, so its parameters"
                    + " are not counted");
            return text;
        }
        HfConfig outer = new HfConfig(file, type, "", wrapper, null,
                type.equals("mistral3") ? MISTRAL3 : HfConfig.Defaults.NONE, problems, notes);
        HfConfig v = outer.nested("vision_config", type, vision, defaults);
        long count = VisionTowers.count(type, v, outer, text.hiddenSize());
        v.throwIfProblems();
        return new ModelArchitecture(text.layers(), text.hiddenSize(), text.attentionHeads(), text.kvHeads(),
                text.headDim(), text.ffnSize(), text.ffnKind(), text.vocabSize(), text.tiedEmbeddings(),
                text.maxContextTokens(), text.positionEmbedding(), text.learnedPositions(), text.norm(),
                text.normsPerLayer(), text.attentionBias(), text.outputProjectionBias(), text.mlpBias(),
                text.layerPattern(), text.moe(), text.mla(), text.recurrent(), text.sparseAttention(), text.qkNorm(),
                text.attentionSinks(), text.attentionOutputGate(), text.mtpLayers(), text.hyperConnections(), count,
                text.queryLoraRank(), text.outputLora(), text.perLayerEmbedding());
    }
}
