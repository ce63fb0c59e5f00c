package dev.headroom.catalog.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One config.json (or its {@code text_config}) being read for one model_type. Keys the config leaves out take the
 * default of that model type's transformers configuration class, where the family declares one, and each default
 * applied becomes a note; a key without a default is named as missing. Every missing or malformed key is
 * collected before the import fails, so the user fixes them all at once; each problem is reported once, under the
 * key the config spells, and a key that already has a problem is not checked again against other keys.
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
            problem(key, null, "is required for model_type " + type);
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
            if (!node.isBoolean()) {
                problem(key, node, "must be true or false (a JSON boolean)");
                return fallback;
            }
            return node.booleanValue();
        }
        Object classDefault = defaults.values().get(key);
        if (classDefault instanceof Boolean value) {
            noteDefault(key, value);
            return value;
        }
        return fallback;
    }

    /**
     * A per-layer list of words (layer_types): null where absent; where present it must hold exactly {@code count}
     * entries ({@code countRule} says where that number comes from), each one of {@code allowed}. A list with any
     * problem is reported once for its length and once for its unknown words, and comes back null.
     */
    public List<String> layerWords(String key, int count, String countRule, List<String> allowed) {
        JsonNode node = node(key);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problem(key, node, "must be a list with one entry per layer, each one of " + String.join(", ", allowed));
            return null;
        }
        List<String> out = new ArrayList<>();
        Set<String> unknown = new LinkedHashSet<>();
        node.forEach(item -> {
            String word = item.isTextual() ? item.asText() : item.toString();
            out.add(word);
            if (!item.isTextual() || !allowed.contains(word)) {
                unknown.add(item.toString());
            }
        });
        boolean ok = countMatches(key, out.size(), count, countRule);
        if (!unknown.isEmpty()) {
            problem(key, String.join(", ", unknown), "each entry must be one of " + String.join(", ", allowed));
            ok = false;
        }
        return ok ? out : null;
    }

    /**
     * A per-layer string of letters (hybrid_override_pattern, index_topk_pattern): null where absent; where present
     * exactly {@code count} letters ({@code count} below 1: any length of at least one), each one of
     * {@code allowed}.
     */
    public String layerLetters(String key, int count, String countRule, String allowed) {
        JsonNode node = node(key);
        if (node == null) {
            return null;
        }
        String letters = node.isTextual() ? node.asText() : null;
        if (letters == null || letters.isEmpty()) {
            problem(key, node, "must be a string of one letter per layer, each one of " + allowed);
            return null;
        }
        boolean ok = count < 1 || letters.length() == count;
        if (!ok) {
            problem(key, letters.length() + " letters", "must have " + count + " letters, " + countRule);
        }
        Set<String> unknown = new LinkedHashSet<>();
        letters.chars().filter(ch -> allowed.indexOf(ch) < 0).forEach(ch -> unknown.add(String.valueOf((char) ch)));
        if (!unknown.isEmpty()) {
            problem(key, String.join(", ", unknown), "each letter must be one of " + allowed);
            ok = false;
        }
        return ok ? letters : null;
    }

    /**
     * A per-layer list of whole numbers (no_rope_layers, compress_ratios): null where absent; where present
     * {@code layers} to {@code layers + extra} entries long ({@code countRule} says so in words; not checked when
     * the layer count is itself wrong), each entry one of {@code allowed}.
     */
    public List<Integer> layerNumbers(String key, int layers, int extra, String countRule, List<Integer> allowed) {
        List<Integer> values = integers(key);
        if (values == null) {
            return null;
        }
        boolean typed = !hasProblem(key);
        boolean ok = typed;
        if (layers > 0 && (values.size() < layers || values.size() > layers + extra)) {
            problem(key, values.size() + " entries", "must have " + countRule);
            ok = false;
        }
        Set<Integer> unknown = new LinkedHashSet<>(values);
        unknown.removeAll(allowed);
        if (typed && !unknown.isEmpty()) {
            problem(key, unknown.toString(), "each entry must be one of " + allowed);
            ok = false;
        }
        return ok ? values : null;
    }

    /** Layer indexes (moe_layers, mlp_only_layers): null where absent; each index 0 to {@code layers} - 1. */
    public Set<Integer> layerIndexes(String key, int layers) {
        List<Integer> values = integers(key);
        if (values == null) {
            return null;
        }
        Set<Integer> outside = new LinkedHashSet<>();
        values.stream().filter(i -> i >= layers).forEach(outside::add);
        if (!outside.isEmpty() && layers > 0) {
            problem(key, outside.toString(), "each layer index must be between 0 and " + (layers - 1)
                    + " (num_hidden_layers - 1)");
            return null;
        }
        return hasProblem(key) ? null : new LinkedHashSet<>(values);
    }

    /** A list of whole numbers (deepstack_visual_indexes), or null where absent. */
    public List<Integer> integers(String key) {
        JsonNode node = node(key);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            problem(key, node, "must be a list of whole numbers");
            return null;
        }
        List<Integer> out = new ArrayList<>();
        node.forEach(item -> out.add(wholeNumber(key, item)));
        return out;
    }

    /** A whole number of at least {@code min}: the config's or the class default, else a problem naming the key. */
    public int atLeast(String key, int min) {
        return between(key, min, Integer.MAX_VALUE, null);
    }

    /** A size or a count: a whole number of at least 1. */
    public int positive(String key) {
        return atLeast(key, 1);
    }

    /**
     * A whole number from {@code min} to {@code max}; {@code maxRule} says where the upper bound comes from
     * ("num_attention_heads"). A bound below {@code min} comes from a key that is itself wrong: then only the lower
     * bound is checked, so one mistake gives one message.
     */
    public int between(String key, int min, int max, String maxRule) {
        int value = integer(key);
        if (hasProblem(key)) {
            return value;
        }
        if (value < min) {
            problem(key, value, "must be " + min + " or more");
        } else if (max >= min && value > max) {
            problem(key, value, "must be between " + min + " and " + max
                    + (maxRule == null ? "" : " (" + maxRule + ")"));
        }
        return value;
    }

    /** Whether a problem was already reported for this key. */
    public boolean hasProblem(String key) {
        String field = prefix + key;
        return problems.stream().anyMatch(p -> field.equals(p.field()));
    }

    /** A string value, or null where absent; anything but a JSON string is a problem. */
    public String text(String key) {
        JsonNode node = node(key);
        if (node != null && !node.isTextual()) {
            problem(key, node, "must be a string");
            return null;
        }
        return node == null ? null : node.asText();
    }

    public void note(String note) {
        notes.add(note);
    }

    /** A note about one key, named as the config spells it ("text_config.sliding_window: ..."). */
    public void note(String key, String text) {
        notes.add(prefix + key + ": " + text);
    }

    /** Records a problem once: reading a key twice, or a rule broken by many layers, gives one message. */
    public void problem(String key, Object value, String rule) {
        Problem problem = new Problem(file, null, key == null ? null : prefix + key, value, rule);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
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
            problem(key, node, "must be a non-negative whole number");
            return 0;
        }
        return node.asInt();
    }

    /** "must have one entry per layer (num_hidden_layers = 62)" where the length is wrong. */
    private boolean countMatches(String key, int actual, int count, String countRule) {
        if (count > 0 && actual != count) {
            problem(key, actual + " entries", "must have " + count + " entries, " + countRule);
            return false;
        }
        return true;
    }
}
