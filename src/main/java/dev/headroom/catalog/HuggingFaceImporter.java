package dev.headroom.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.catalog.hf.ConfigImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a Hugging Face {@code config.json} into a catalog model entry. Only families whose parameter layout the
 * engine knows are accepted: a guess about an unknown architecture would give confident wrong numbers. How each
 * model_type's keys map onto the architecture is in {@link dev.headroom.catalog.hf}.
 */
public final class HuggingFaceImporter {

    /** model_type values this importer understands. */
    public static final List<String> SUPPORTED = ConfigImport.SUPPORTED;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * An imported model and what the import had to assume.
     *
     * @param notes each default applied for a key the config leaves out, and each part not counted, in words
     */
    public record Imported(Model model, List<String> notes) {
    }

    private HuggingFaceImporter() {
    }

    public static Model importFile(Path configFile) {
        return read(configFile).model();
    }

    public static Imported read(Path configFile) {
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
        return convert(configFile.toString(), id, config, configFile.toUri().toString());
    }

    /**
     * @param file      the name used in messages
     * @param id        the catalog id to give the model
     * @param sourceUrl where the config came from, recorded as the entry's source
     */
    public static Model fromConfig(String file, String id, JsonNode config, String sourceUrl) {
        return convert(file, id, config, sourceUrl).model();
    }

    public static Imported convert(String file, String id, JsonNode config, String sourceUrl) {
        if (config == null || !config.isObject()) {
            throw new CatalogException(List.of(new Problem(file, null, null, null, "must hold a JSON object")));
        }
        String type = text(config, "model_type");
        if (type == null || !SUPPORTED.contains(type)) {
            throw new CatalogException(List.of(new Problem(file, null, "model_type", type,
                    "is not supported; supported model types: " + String.join(", ", SUPPORTED))));
        }
        ConfigImport.Result result = ConfigImport.read(file, config, type);

        String name = text(config, "_name_or_path");
        List<String> notes = new java.util.ArrayList<>(result.notes());
        String nativeFormat = nativeFormat(config, notes);
        Source source = new Source(nativeFormat == null ? List.of("architecture") : List.of("architecture",
                "nativeFormat"), "Imported Hugging Face config.json (" + type + ")", sourceUrl,
                LocalDate.now().toString());
        Model model = new Model(id, name != null ? name : id, familyOf(type), name, result.architecture(), null,
                null, null, nativeFormat, List.of(source));
        List<Problem> problems = CatalogValidator.validate(file, model);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Imported(model, notes);
    }

    /** The first seven types keep the family names the catalog already uses; the others are their model_type. */
    private static String familyOf(String modelType) {
        return Map.of("mixtral", "mixtral", "gemma2", "gemma2", "phi3", "phi3", "deepseek_v3", "deepseek_v3",
                "qwen2", "qwen2", "mistral", "mistral", "llama", "llama").getOrDefault(modelType, modelType);
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

    /**
     * The checkpoint's weight format from its quantization_config (the text model's, for a wrapper), as a label of
     * the sizing engine's weight formats; null for a 16-bit checkpoint or a method this importer does not know (said
     * in {@code notes}). Methods as transformers and vLLM name them: fp8 (with weight_block_size: DeepSeek's
     * 128 x 128 blocks), mxfp4, awq, gptq, compressed-tensors (its weights' bits and type), modelopt, bitsandbytes.
     */
    static String nativeFormat(JsonNode config, List<String> notes) {
        JsonNode q = config.path("quantization_config");
        if (q.isMissingNode() || q.isNull()) {
            q = config.path("text_config").path("quantization_config");
        }
        if (!q.isObject()) {
            return null;
        }
        String method = q.path("quant_method").asText("").toLowerCase(Locale.ROOT);
        String format = switch (method) {
            case "fp8" -> q.has("weight_block_size") ? "fp8-block" : "fp8";
            case "mxfp4" -> "mxfp4";
            case "awq" -> q.path("bits").asInt(4) == 4 ? "awq-int4" : null;
            case "gptq" -> q.path("bits").asInt(4) == 4 ? "gptq-int4" : null;
            case "bitsandbytes" -> q.path("load_in_4bit").asBoolean() ? "nf4"
                    : q.path("load_in_8bit").asBoolean() ? "int8" : null;
            case "modelopt" -> switch (q.path("quant_algo").asText("").toUpperCase(Locale.ROOT)) {
                case "FP8" -> "fp8";
                case "NVFP4" -> "nvfp4";
                default -> null;
            };
            case "compressed-tensors" -> compressedTensors(q);
            default -> null;
        };
        if (format == null) {
            notes.add("quantization_config (" + (method.isEmpty() ? "no quant_method" : method) + ") is not a format"
                    + " the engine knows: the native format is not recorded; choose one with --weights");
        }
        return format;
    }

    /** compressed-tensors: the first config group's weights (int 4 or 8 bits, float 8 bits or NVFP4). */
    private static String compressedTensors(JsonNode q) {
        JsonNode groups = q.path("config_groups");
        if (!groups.isObject() || groups.isEmpty()) {
            return null;
        }
        JsonNode weights = groups.elements().next().path("weights");
        int bits = weights.path("num_bits").asInt(0);
        String type = weights.path("type").asText("");
        if (type.equals("int")) {
            return bits == 4 ? "int4" : bits == 8 ? "int8" : null;
        }
        if (type.equals("float")) {
            return bits == 8 ? (weights.path("strategy").asText("").equals("block") ? "fp8-block" : "fp8")
                    : bits == 4 ? "nvfp4" : null;
        }
        return null;
    }

    private static String text(JsonNode config, String key) {
        JsonNode node = config.get(key);
        return node == null || node.isNull() ? null : node.asText();
    }
}
