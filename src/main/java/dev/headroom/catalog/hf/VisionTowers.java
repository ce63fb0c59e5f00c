package dev.headroom.catalog.hf;

/**
 * Parameters of the vision tower and projector a multimodal wrapper's vision_config describes, by wrapper
 * model_type (the projector belongs to the wrapper). Shapes from transformers: SigLIP and Gemma3MultiModalProjector
 * (gemma3), Llama4VisionModel with its pixel-shuffle adapter and projector (llama4), the Qwen3-VL vision blocks and
 * patch merger (qwen3_5), Gemma4VisionModel and its embedder (gemma4), Pixtral and Mistral3MultiModalProjector
 * (mistral3); the research notes gemma3.md, llama4.md, qwen3_5.md, gemma4.md and mistral3.md list the tensors.
 */
final class VisionTowers {
    private VisionTowers() {
    }

    static final HfConfig.Defaults SIGLIP = Family.defaults("SiglipVisionConfig", "hidden_size", 768,
            "intermediate_size", 3072, "num_hidden_layers", 12, "num_channels", 3, "image_size", 224,
            "patch_size", 16, "vision_use_head", true);
    static final HfConfig.Defaults LLAMA4 = Family.defaults("Llama4VisionConfig", "hidden_size", 768,
            "num_hidden_layers", 34, "intermediate_size", 5632, "vision_output_dim", 7680, "image_size", 448,
            "patch_size", 14, "num_channels", 3, "projector_input_dim", 4096, "projector_output_dim", 4096);
    static final HfConfig.Defaults QWEN3_5 = Family.defaults("Qwen3_5VisionConfig", "depth", 27,
            "hidden_size", 1152, "intermediate_size", 4304, "in_channels", 3, "patch_size", 16,
            "spatial_merge_size", 2, "temporal_patch_size", 2, "out_hidden_size", 3584,
            "num_position_embeddings", 2304);
    static final HfConfig.Defaults GEMMA4 = Family.defaults("Gemma4VisionConfig", "hidden_size", 768,
            "intermediate_size", 3072, "num_hidden_layers", 16, "num_attention_heads", 12,
            "num_key_value_heads", 12, "head_dim", 64, "patch_size", 16, "position_embedding_size", 10240);
    static final HfConfig.Defaults PIXTRAL = Family.defaults("PixtralVisionConfig", "hidden_size", 1024,
            "intermediate_size", 4096, "num_hidden_layers", 24, "num_channels", 3, "patch_size", 16);

    /** The defaults for a wrapper's vision_config, or null where the tower's layout is not known here. */
    static HfConfig.Defaults defaultsFor(String wrapperType) {
        return switch (wrapperType) {
            case "gemma3" -> SIGLIP;
            case "llama4" -> LLAMA4;
            case "qwen3_5", "qwen3_5_moe" -> QWEN3_5;
            case "gemma4" -> GEMMA4;
            case "mistral3" -> PIXTRAL;
            default -> null;
        };
    }

    /** A width of the tower: 1 to 2^20, the text model's own bound. */
    private static long width(HfConfig v, String key) {
        return v.between(key, 1, 1 << 20, null);
    }

    /** Layers of the tower: 1 to 1,000, the text model's own bound. */
    private static long depth(HfConfig v, String key) {
        return v.between(key, 1, 1000, null);
    }

    /** Patches along one side of the image: the patch must fit in the image. */
    private static long patchesPerSide(HfConfig v) {
        long image = width(v, "image_size");
        long patch = v.hasProblem("image_size") ? v.positive("patch_size")
                : v.between("patch_size", 1, (int) image, "image_size");
        return patch > 0 ? image / patch : 0;
    }

    /**
     * @param wrapper    the wrapper config (for projector keys kept there)
     * @param textHidden the language model's hidden size, which the projector maps into
     */
    static long count(String wrapperType, HfConfig v, HfConfig wrapper, long textHidden) {
        return switch (wrapperType) {
            case "gemma3" -> siglip(v) + gemma3Projector(v, textHidden);
            case "llama4" -> llama4(v) + width(v, "vision_output_dim") * textHidden;
            case "qwen3_5", "qwen3_5_moe" -> qwen35(v);
            case "gemma4" -> gemma4(v) + width(v, "hidden_size") * textHidden;
            case "mistral3" -> pixtral(v) + mistral3Projector(v, wrapper, textHidden);
            default -> throw new IllegalArgumentException(wrapperType);
        };
    }

    /** SigLIP: conv patch embedding with bias, a position table, LayerNorm encoder layers, a post-LayerNorm. */
    private static long siglip(HfConfig v) {
        long h = width(v, "hidden_size");
        long i = width(v, "intermediate_size");
        long side = patchesPerSide(v);
        long p = v.positive("patch_size");
        long embeddings = v.positive("num_channels") * p * p * h + h + side * side * h;
        long layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h);
        long head = v.flag("vision_use_head", true)
                ? h + (3 * h * h + 3 * h) + (h * h + h) + 2 * h + (h * i + i) + (i * h + h) : 0;
        return embeddings + depth(v, "num_hidden_layers") * layer + 2 * h + head;
    }

    /** Gemma 3: one projection of the vision width to the text width and an RMSNorm of the soft tokens. */
    private static long gemma3Projector(HfConfig v, long textHidden) {
        long h = width(v, "hidden_size");
        return h * textHidden + h;
    }

    /** Llama 4: unfold-linear patches, class token and positions, pre/post LayerNorms, biased layers, adapter. */
    private static long llama4(HfConfig v) {
        long h = width(v, "hidden_size");
        long i = width(v, "intermediate_size");
        long side = patchesPerSide(v);
        long p = v.positive("patch_size");
        long embeddings = v.positive("num_channels") * p * p * h + h + (side * side + 1) * h;
        long layer = 4 * h + 4 * (h * h + h) + (h * i + i) + (i * h + h);
        long outDim = width(v, "projector_output_dim");
        long adapter = i * width(v, "projector_input_dim") + outDim * outDim;
        return embeddings + 4 * h + depth(v, "num_hidden_layers") * layer + adapter;
    }

    /** Qwen3.5 (Qwen3-VL blocks): Conv3d patches, a position table, blocks, the patch merger, deepstack mergers. */
    private static long qwen35(HfConfig v) {
        long h = width(v, "hidden_size");
        long i = width(v, "intermediate_size");
        long p = v.positive("patch_size");
        long m = v.positive("spatial_merge_size");
        long out = width(v, "out_hidden_size");
        long patches = v.positive("in_channels") * v.positive("temporal_patch_size") * p * p * h + h;
        long positions = v.positive("num_position_embeddings") * h;
        long block = 4 * h + (3 * h * h + 3 * h) + (h * h + h) + (h * i + i) + (i * h + h);
        long merged = h * m * m;
        long mergerBody = (merged * merged + merged) + (merged * out + out);
        java.util.List<Integer> deepstack = v.integers("deepstack_visual_indexes");
        long deep = deepstack == null ? 0 : deepstack.size() * (2 * merged + mergerBody);
        return patches + positions + depth(v, "depth") * block + 2 * h + mergerBody + deep;
    }

    /** Gemma 4: linear patches and x/y position tables, encoder layers with q/k norms and gated MLPs. */
    private static long gemma4(HfConfig v) {
        long h = width(v, "hidden_size");
        long i = width(v, "intermediate_size");
        long heads = v.positive("num_attention_heads");
        long kvHeads = v.positive("num_key_value_heads");
        long d = v.positive("head_dim");
        long p = v.positive("patch_size");
        long patches = 3 * p * p * h + 2L * v.positive("position_embedding_size") * h;
        long layer = h * heads * d + 2 * h * kvHeads * d + heads * d * h + 2 * d + 3 * h * i + 4 * h;
        return patches + depth(v, "num_hidden_layers") * layer;
    }

    /** Pixtral: conv patches without bias, an RMSNorm, layers of bias-free attention and gated MLP. */
    private static long pixtral(HfConfig v) {
        long h = width(v, "hidden_size");
        long i = width(v, "intermediate_size");
        long p = v.positive("patch_size");
        long layer = 4 * h * h + 3 * h * i + 2 * h;
        return v.positive("num_channels") * p * p * h + h + depth(v, "num_hidden_layers") * layer;
    }

    /** Mistral 3: an RMSNorm, the patch merger of spatial_merge_size² patches, two linear layers. */
    private static long mistral3Projector(HfConfig v, HfConfig wrapper, long textHidden) {
        long h = width(v, "hidden_size");
        long s = wrapper.positive("spatial_merge_size");
        boolean bias = wrapper.flag("multimodal_projector_bias", false);
        return h + h * s * s * h + textHidden * h + textHidden * textHidden + (bias ? 2 * textHidden : 0);
    }
}
