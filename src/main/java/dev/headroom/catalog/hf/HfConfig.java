package dev.headroom.catalog.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One config.json (or its {@code text_config}) being read for one model_type. Keys the config leaves out take the
 * default of that model type's transformers configuration class, where the family declares one, and each default
 * applied becomes a note; a key without a default is named as missing. Every missing or malformed key is
 * collected before the import fails, so the user fixes them all at once.
 */
public final class HfConfig {

    /** Defaults of one transformers configuration class, by config key. */
    public record Defaults(String className, Map<String, Object> values) {
        public static final Defaults NONE = new Defaults(null, Map.of());
    }

    private final String file;
    private final String type;
    private final String prefix;
    private final JsonNode config;
    private final JsonNode wrapper;
    private final Defaults defaults;
    private final List<Problem> problems;
    private final List<String> notes;

    /**
     * @param prefix  how keys are named in messages ("" at the top level, "text_config." inside a wrapper)
     * @param wrapper the multimodal wrapper around {@code config}, consulted for tie_word_embeddings; may be null
     */
    HfConfig(String file, String type, String prefix, JsonNode config, JsonNode wrapper, Defaults defaults,
             List<Problem> problems, List<String> notes) {
        this.file = file;
        this.type = type;
        this.prefix = prefix;
        this.config = config;
        this.wrapper = wrapper;
        this.defaults = defaults;
        this.problems = problems;
        this.notes = notes;
    }

    /** The same file and message lists, reading another object (a vision_config) with its own defaults. */
    HfConfig nested(String key, String nestedType, JsonNode node, Defaults nestedDefaults) {
        return new HfConfig(file, nestedType, prefix + key + ".", node, null, nestedDefaults, problems, notes);
    }

    public String type() {
        return type;
    }

    public boolean has(String key) {
        JsonNode node = config.get(key);
        return node != null && !node.isNull();
    }

    public JsonNode node(String key) {
        JsonNode node = config.get(key);
        return node == null || node.isNull() ? null : node;
    }

    /** A whole number: the config's, else the class default (noted), else a problem naming the key. */
    public int integer(String key) {
        Integer value = optionalInteger(key);
        if (value == null) {
            problems.add(new Problem(file, null, prefix + key, null, "is required for model_type " + type));
            return 0;
        }
        return value;
    }

    /** A whole number, the class default (noted) where absent, or null where the class has none either. */
    public Integer optionalInteger(String key) {
        JsonNode node = node(key);
        if (node != null) {
            return wholeNumber(key, node);
        }
        Object fallback = defaults.values().get(key);
        if (fallback instanceof Integer value) {
            noteDefault(key, value);
            return value;
        }
        return null;
    }

    /** A whole number where present, else {@code fallback}, saying why ({@code rule}) in the notes. */
    public int integerOr(String key, int fallback, String rule) {
        JsonNode node = node(key);
        if (node != null) {
            return wholeNumber(key, node);
        }
        Object classDefault = defaults.values().get(key);
        if (classDefault instanceof Integer value) {
            noteDefault(key, value);
            return value;
        }
        notes.add(prefix + key + ": absent, " + rule + " (" + fallback + ") applied");
        return fallback;
    }

    /** A flag: the config's, else the class default (noted), else {@code fallback} without a note. */
    public boolean flag(String key, boolean fallback) {
        JsonNode node = node(key);
        if (node == null && key.equals("tie_word_embeddings") && wrapper != null) {
            JsonNode outer = wrapper.get(key);
            node = outer == null || outer.isNull() ? null : outer;
        }
        if (node != null) {
            return node.asBoolean(fallback);
        }
        Object classDefault = defaults.values().get(key);
        if (classDefault instanceof Boolean value) {
            noteDefault(key, value);
            return value;
        }
        return fallback;
    }

    /** A list of strings (layer_types), or null where absent or empty; the class has no list defaults here. */
    public List<String> strings(String key) {
        JsonNode node = node(key);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(new Problem(file, null, prefix + key, node, "must be a list"));
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(item -> out.add(item.asText()));
        return out.isEmpty() ? null : out;
    }

    /** A list of whole numbers (compress_ratios, moe_layers), or null where absent. */
    public List<Integer> integers(String key) {
        JsonNode node = node(key);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problems.add(new Problem(file, null, prefix + key, node, "must be a list of whole numbers"));
            return null;
        }
        List<Integer> out = new ArrayList<>();
        node.forEach(item -> out.add(wholeNumber(key, item)));
        return out;
    }

    public String text(String key) {
        JsonNode node = node(key);
        return node == null ? null : node.asText();
    }

    public void note(String note) {
        notes.add(note);
    }

    public void problem(String key, Object value, String rule) {
        problems.add(new Problem(file, null, key == null ? null : prefix + key, value, rule));
    }

    void throwIfProblems() {
        if (!problems.isEmpty()) {
            throw new CatalogException(List.copyOf(problems));
        }
    }

    private void noteDefault(String key, Object value) {
        notes.add(prefix + key + ": absent, " + defaults.className() + " default " + value + " applied");
    }

    private int wholeNumber(String key, JsonNode node) {
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            problems.add(new Problem(file, null, prefix + key, node, "must be a non-negative whole number"));
            return 0;
        }
        return node.asInt();
    }
}
