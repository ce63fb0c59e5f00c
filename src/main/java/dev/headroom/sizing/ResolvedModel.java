package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogValidator;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ParameterCounter;
import dev.headroom.catalog.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model a scenario names, looked up and counted. Without an architecture only the parameter count is known:
 * model states can be sized, KV cache and activations cannot, and the estimate says so.
 *
 * @param architecture null for a parameter-count-only model
 * @param count        component counts; null for a parameter-count-only model
 * @param largestLayerParameters given with a parameter count only; 0 when unknown (architectures derive it)
 */
record ResolvedModel(String name, ModelArchitecture architecture, ParameterCounter.Count count, long parameters,
                     long activeParameters, long largestLayerParameters) {

    boolean hasArchitecture() {
        return architecture != null;
    }

    static ResolvedModel resolve(Scenario.ModelSpec spec, Catalog catalog, List<String> problems) {
        ModelArchitecture architecture = spec.architecture();
        String name = spec.name();
        if (spec.catalogId() != null) {
            var model = catalog.model(spec.catalogId());
            if (model.isEmpty()) {
                problems.add("model = " + dev.headroom.common.Format.echo(spec.catalogId()) + ": no such model id; 'headroom catalog list models' lists them");
                return null;
            }
            if (architecture == null) {
                architecture = model.get().architecture();
            }
            if (name == null) {
                name = model.get().name();
            }
        }
        if (architecture != null) {
            // Catalog entries were validated when the catalog loaded; only a scenario's own architecture is checked.
            List<String> architectureProblems = spec.architecture() == null ? List.of() : architectureProblems(architecture);
            if (!architectureProblems.isEmpty()) {
                problems.addAll(architectureProblems);
                return null;
            }
            ParameterCounter.Count count = LayerTables.of(architecture).count;
            return new ResolvedModel(name != null ? name : "custom model", architecture, count, count.total(),
                    count.active(), 0);
        }
        if (spec.parameters() != null) {
            long parameters = spec.parameters();
            return new ResolvedModel(name != null ? name : String.format("%.3g parameters", (double) parameters),
                    null, null, parameters, parameters,
                    spec.largestLayerParameters() == null ? 0 : spec.largestLayerParameters());
        }
        problems.add("model: a catalog id, a config.json, an architecture or a parameter count is required");
        return null;
    }

    /** Catalog field names of the architecture, as the flags of 'headroom size' spell them. */
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("layers", "layers"), Map.entry("hiddenSize", "hidden"),
            Map.entry("attentionHeads", "heads"), Map.entry("kvHeads", "kv-heads"),
            Map.entry("headDim", "head-dim"), Map.entry("ffnSize", "ffn"),
            Map.entry("vocabSize", "vocab"), Map.entry("maxContextTokens", "max-context"),
            Map.entry("moe.experts", "experts"), Map.entry("moe.activeExperts", "active-experts"));

    /** The catalog's own architecture rules, reworded for command-line flags. */
    private static List<String> architectureProblems(ModelArchitecture architecture) {
        var model = new dev.headroom.catalog.Model("custom", "custom", "custom", null, architecture, null, null, null, null,
                List.of(new dev.headroom.catalog.Source(List.of("architecture"), "scenario", null, "2026-01-01")));
        List<String> messages = new ArrayList<>();
        for (Problem problem : CatalogValidator.validate("model", model)) {
            String field = problem.field() == null ? "" : problem.field().replace("architecture.", "");
            field = FLAGS.getOrDefault(field, field);
            messages.add(field + " = " + (problem.value() == null ? "(missing)" : problem.value()) + ": " + problem.rule());
        }
        return messages;
    }
}
