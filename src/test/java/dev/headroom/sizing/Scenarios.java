package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ModelArchitecture.FfnKind;
import dev.headroom.catalog.ModelArchitecture.NormKind;
import dev.headroom.catalog.ModelArchitecture.PositionEmbedding;

/** Shared fixtures: the built-in catalog, and scenario builders that keep tests short. */
final class Scenarios {
    static final Catalog CATALOG = new CatalogLoader(null).load();
    static final SizingEngine ENGINE = new SizingEngine(CATALOG);
    static final double GIB = 1L << 30;

    private Scenarios() {
    }

    static Scenario inference(String model, WeightFormat weights, String gpu, int batch, int input, int output) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.INFERENCE, null,
                new Scenario.Precision(weights, null, null, null), new Scenario.Shape(batch, input, output), null,
                null, new Scenario.Hardware(gpu, 1), null, null, null);
    }

    static Scenario withParallelism(Scenario s, Scenario.Parallelism parallelism) {
        return new Scenario(s.model(), s.workload(), s.training(), s.precision(), s.shape(), parallelism, s.kvCache(),
                new Scenario.Hardware(s.hardware().gpuId(), (int) parallelism.gpus()), s.runtime(), s.overheads(),
                s.efficiencies());
    }

    static Scenario withShape(Scenario s, int batch, int input, int output) {
        return new Scenario(s.model(), s.workload(), s.training(), s.precision(), new Scenario.Shape(batch, input, output),
                s.parallelism(), s.kvCache(), s.hardware(), s.runtime(), s.overheads(), s.efficiencies());
    }

    static Scenario withKvPolicy(Scenario s, Scenario.KvCachePolicy policy) {
        return new Scenario(s.model(), s.workload(), s.training(), s.precision(), s.shape(), s.parallelism(), policy,
                s.hardware(), s.runtime(), s.overheads(), s.efficiencies());
    }

    static Scenario withWeights(Scenario s, WeightFormat weights) {
        return new Scenario(s.model(), s.workload(), s.training(), new Scenario.Precision(weights, null,
                s.precision().kvCache(), s.precision().activations()), s.shape(), s.parallelism(), s.kvCache(),
                s.hardware(), s.runtime(), s.overheads(), s.efficiencies());
    }

    static Scenario.Parallelism parallel(int tp, int pp, int dp, int zero) {
        return new Scenario.Parallelism(tp, pp, dp, null, null, zero, null, null, null, null);
    }

    /** A GPT-style decoder as the Megatron papers describe it: 4h GELU MLP, LayerNorm, biases, tied embeddings. */
    static ModelArchitecture gpt(int layers, int hidden, int heads, int vocab, int context) {
        return new ModelArchitecture(layers, hidden, heads, heads, hidden / heads, 4 * hidden, FfnKind.PLAIN, vocab,
                true, context, PositionEmbedding.ROPE, 0, NormKind.LAYERNORM, 2, false, false, false, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** A LLaMA-style decoder (Touvron et al. 2023, Table 2): SwiGLU, RMSNorm, untied embeddings. */
    static ModelArchitecture llama(int layers, int hidden, int heads, int kvHeads, int ffn, int vocab, int context) {
        return ModelArchitecture.plain(layers, hidden, heads, kvHeads, hidden / heads, ffn, FfnKind.GATED, vocab, false,
                context);
    }
}
