package dev.headroom.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.catalog.ModelArchitecture.Mla;
import dev.headroom.catalog.ModelArchitecture.Moe;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.PositionEmbedding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Hugging Face {@code config.json} into a catalog model entry. Only families whose parameter layout the
 * engine knows are accepted: a guess about an unknown architecture would give confident wrong numbers.
 */
public final class HuggingFaceImporter {

    /** model_type values this importer understands, with what each implies beyond the config keys. */
    public static final List<String> SUPPORTED = List.of("llama", "mistral", "mixtral", "qwen2", "gemma2", "phi3",
            "deepseek_v3");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HuggingFaceImporter() {
    }

    public static Model importFile(Path configFile) {
        JsonNode config;
        try {
            config = MAPPER.readTree(Files.readString(configFile));
        } catch (JsonProcessingException e) {
            throw new CatalogException(List.of(new Problem(configFile.toString(), null, null, null,
                    "is not valid JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw new CatalogException(List.of(new Problem(configFile.toString(), null, null, null,
                    "cannot be read: " + e.getMessage())));
        }
        String id = idFrom(configFile, config);
        return fromConfig(configFile.toString(), id, config, configFile.toUri().toString());
    }

    /**
     * @param file      the name used in messages
     * @param id        the catalog id to give the model
     * @param sourceUrl where the config came from, recorded as the entry's source
     */
    public static Model fromConfig(String file, String id, JsonNode config, String sourceUrl) {
        if (config == null || !config.isObject()) {
            throw new CatalogException(List.of(new Problem(file, null, null, null, "must hold a JSON object")));
        }
        String type = text(config, "model_type");
        if (type == null || !SUPPORTED.contains(type)) {
            throw new CatalogException(List.of(new Problem(file, null, "model_type", type,
                    "is not supported; supported model types: " + String.join(", ", SUPPORTED))));
        }
        Reader r = new Reader(file, type, config);
        int hidden = r.required("hidden_size");
        int heads = r.required("num_attention_heads");
        int layers = r.required("num_hidden_layers");
        int ffn = r.required("intermediate_size");
        int vocab = r.required("vocab_size");
        int context = r.required("max_position_embeddings");
        Integer kvHeads = r.optional("num_key_value_heads");
        Integer headDim = r.optional("head_dim");
        boolean gemma = type.equals("gemma2");
        boolean tied = r.flag("tie_word_embeddings", gemma);

        Moe moe = null;
        Mla mla = null;
        if (type.equals("mixtral")) {
            moe = new Moe(r.required("num_local_experts"), r.required("num_experts_per_tok"), 0, ffn, 0);
        }
        if (type.equals("deepseek_v3")) {
            moe = new Moe(r.required("n_routed_experts"), r.required("num_experts_per_tok"),
                    r.optionalOr("n_shared_experts", 0), r.required("moe_intermediate_size"),
                    r.optionalOr("first_k_dense_replace", 0));
            mla = new Mla(r.optionalOr("q_lora_rank", 0), r.required("kv_lora_rank"), r.required("qk_nope_head_dim"),
                    r.required("qk_rope_head_dim"), r.required("v_head_dim"));
        }
        r.throwIfMissing();

        if (mla != null) {
            kvHeads = heads; // MLA caches one latent per token; heads are not grouped
            headDim = mla.qkNopeHeadDim() + mla.qkRopeHeadDim();
        }
        if (kvHeads == null) {
            kvHeads = heads;
        }
        if (headDim == null) {
            headDim = heads > 0 ? hidden / heads : 0; // 0 heads is named by the architecture's validation
        }

        // Qwen2 puts biases on q, k and v; Llama-family configs say so with attention_bias (default false).
        boolean attentionBias = type.equals("qwen2") || r.flag("attention_bias", false);
        Integer window = slidingWindow(type, config);
        List<ModelArchitecture.LayerGroup> pattern = window == null ? null
                : gemma ? List.of(ModelArchitecture.LayerGroup.of(1, ModelArchitecture.Attention.SLIDING, window),
                        ModelArchitecture.LayerGroup.of(1, ModelArchitecture.Attention.FULL, null))
                : List.of(ModelArchitecture.LayerGroup.of(1, ModelArchitecture.Attention.SLIDING, window));

        ModelArchitecture architecture = new ModelArchitecture(layers, hidden, heads, kvHeads, headDim, ffn,
                FfnKind.GATED, vocab, tied, context, PositionEmbedding.ROPE, 0, NormKind.RMSNORM,
                gemma ? 4 : 2, attentionBias, false, r.flag("mlp_bias", false), pattern, moe, mla, null, null, null,
                null, null, null, null, null);

        String name = text(config, "_name_or_path");
        Source source = new Source(List.of("architecture"), "Imported Hugging Face config.json (" + type + ")",
                sourceUrl, LocalDate.now().toString());
        Model model = new Model(id, name != null ? name : id, familyOf(type), name, architecture, null, null, null,
                List.of(source));
        List<Problem> problems = CatalogValidator.validate(file, model);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return model;
    }

    /**
     * Mistral v0.1 and Phi-3 attend within a window on every layer; Qwen2 configs carry a window that is off
     * unless use_sliding_window is true; Gemma 2 uses it on every other layer.
     */
    private static Integer slidingWindow(String type, JsonNode config) {
        JsonNode window = config.get("sliding_window");
        if (window == null || !window.canConvertToInt() || window.asInt() <= 0) {
            return null;
        }
        if (type.equals("qwen2") && !config.path("use_sliding_window").asBoolean(false)) {
            return null;
        }
        if (type.equals("deepseek_v3")) {
            return null;
        }
        return window.asInt();
    }

    private static String familyOf(String modelType) {
        return Map.of("mixtral", "mixtral", "gemma2", "gemma2", "phi3", "phi3", "deepseek_v3", "deepseek_v3",
                "qwen2", "qwen2", "mistral", "mistral").getOrDefault(modelType, "llama");
    }

    private static String idFrom(Path file, JsonNode config) {
        String name = text(config, "_name_or_path");
        String base = name != null ? name.substring(name.lastIndexOf('/') + 1)
                : file.getFileName().toString().replaceFirst("\\.json$", "");
        if (base.equals("config")) {
            Path parent = file.toAbsolutePath().getParent();
            base = parent != null && parent.getFileName() != null ? parent.getFileName().toString() : "imported-model";
        }
        String id = base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        return id.isEmpty() ? "imported-model" : id;
    }

    private static String text(JsonNode config, String key) {
        JsonNode node = config.get(key);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Reads integer keys and collects every missing or malformed one before failing. */
    private static final class Reader {
        private final String file;
        private final String type;
        private final JsonNode config;
        private final List<Problem> problems = new ArrayList<>();

        Reader(String file, String type, JsonNode config) {
            this.file = file;
            this.type = type;
            this.config = config;
        }

        int required(String key) {
            JsonNode node = config.get(key);
            if (node == null || node.isNull()) {
                problems.add(new Problem(file, null, key, null, "is required for model_type " + type));
                return 0;
            }
            return integer(key, node);
        }

        Integer optional(String key) {
            JsonNode node = config.get(key);
            return node == null || node.isNull() ? null : integer(key, node);
        }

        int optionalOr(String key, int fallback) {
            Integer value = optional(key);
            return value == null ? fallback : value;
        }

        boolean flag(String key, boolean fallback) {
            JsonNode node = config.get(key);
            return node == null || node.isNull() ? fallback : node.asBoolean(fallback);
        }

        private int integer(String key, JsonNode node) {
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
                problems.add(new Problem(file, null, key, node, "must be a non-negative whole number"));
                return 0;
            }
            return node.asInt();
        }

        void throwIfMissing() {
            if (!problems.isEmpty()) {
                throw new CatalogException(problems);
            }
        }
    }
}
