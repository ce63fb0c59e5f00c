package dev.headroom.sizing;

import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ParameterCounter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the memory and speed models need from an architecture, layer by layer: prefix sums of each part's
 * parameters and the layers' KV classes. It depends on the architecture alone, so it is built once per
 * architecture and kept: an estimate then costs a few array reads per pipeline stage, not a walk over the
 * layers (the engine targets a million estimates a second; the fit searches evaluate memory dozens of times).
 *
 * <p>Prefix arrays hold, at index i, the sum over layers 0 .. i-1.
 */
final class LayerTables {
    /** Recently used architectures, compared by identity: catalog entries live as long as the catalog. */
    private static final int CACHED = 64;
    private static final ModelArchitecture[] KEYS = new ModelArchitecture[CACHED];
    private static final LayerTables[] VALUES = new LayerTables[CACHED];
    private static int next;

    final ParameterCounter.Count count;
    final double[] mixerPrefix;
    final double[] denseFfnPrefix;
    final double[] expertPrefix;
    final double[] sharedPrefix;
    final double[] normPrefix;
    final int[] denseCountPrefix;
    final int[] moeCountPrefix;
    final int[] recurrentCountPrefix;
    /** Layers with softmax attention (full, sliding, chunked, compressed): what the training activations count. */
    final int[] attentionCountPrefix;
    final double expertsPerMoeLayer;
    final double sharedPerMoeLayer;
    final double largestMixer;
    final double largestDenseFfn;
    final double largestShared;
    final double widestDenseFfn;
    /** Every layer has the same parameters and the same KV class (or state): pipeline stages differ only by count. */
    final boolean uniformLayers;
    private final KvClasses windowed;
    private final KvClasses unwindowed;

    /** The layers' KV classes and, per class, the prefix count of its layers. */
    record KvClasses(MemoryModel.KvClass[] classes, int[][] prefix) {
    }

    static LayerTables of(ModelArchitecture a) {
        synchronized (KEYS) {
            for (int i = 0; i < CACHED; i++) {
                if (KEYS[i] == a) {
                    return VALUES[i];
                }
            }
        }
        LayerTables tables = new LayerTables(a);
        synchronized (KEYS) {
            KEYS[next] = a;
            VALUES[next] = tables;
            next = (next + 1) % CACHED;
        }
        return tables;
    }

    /** A bare parameter count: one dense "layer" holding everything, no cache. */
    static LayerTables parametersOnly(double parameters) {
        return new LayerTables(parameters);
    }

    private LayerTables(double parameters) {
        count = null;
        mixerPrefix = new double[] {0, 0};
        denseFfnPrefix = new double[] {0, parameters};
        expertPrefix = new double[] {0, 0};
        sharedPrefix = new double[] {0, 0};
        normPrefix = new double[] {0, 0};
        denseCountPrefix = new int[] {0, 1};
        moeCountPrefix = new int[] {0, 0};
        recurrentCountPrefix = new int[] {0, 0};
        attentionCountPrefix = new int[] {0, 1};
        expertsPerMoeLayer = sharedPerMoeLayer = largestMixer = largestDenseFfn = largestShared = widestDenseFfn = 0;
        uniformLayers = true;
        windowed = unwindowed = new KvClasses(new MemoryModel.KvClass[0], new int[0][]);
    }

    private LayerTables(ModelArchitecture a) {
        count = ParameterCounter.count(a);
        int layers = a.layers();
        List<LayerPlan.Layer> plan = LayerPlan.of(a);
        mixerPrefix = new double[layers + 1];
        denseFfnPrefix = new double[layers + 1];
        expertPrefix = new double[layers + 1];
        sharedPrefix = new double[layers + 1];
        normPrefix = new double[layers + 1];
        denseCountPrefix = new int[layers + 1];
        moeCountPrefix = new int[layers + 1];
        recurrentCountPrefix = new int[layers + 1];
        attentionCountPrefix = new int[layers + 1];
        double normsPerLayer = (double) count.norms() / layers; // the final norm folded in: negligible
        double experts = 0;
        double shared = 0;
        double mixerMax = 0;
        double denseMax = 0;
        int widest = 0;
        for (LayerPlan.Layer layer : plan) {
            int i = layer.index();
            ParameterCounter.LayerCount part = ParameterCounter.layer(a, layer);
            mixerMax = Math.max(mixerMax, part.mixer());
            denseMax = Math.max(denseMax, part.denseFfn());
            experts = Math.max(experts, part.experts());
            shared = Math.max(shared, part.shared());
            boolean dense = layer.ffn() == ModelArchitecture.Ffn.DENSE;
            if (dense) {
                widest = Math.max(widest, layer.ffnSize());
            }
            mixerPrefix[i + 1] = mixerPrefix[i] + part.mixer();
            denseFfnPrefix[i + 1] = denseFfnPrefix[i] + part.denseFfn();
            expertPrefix[i + 1] = expertPrefix[i] + part.experts();
            sharedPrefix[i + 1] = sharedPrefix[i] + part.shared();
            normPrefix[i + 1] = normPrefix[i] + normsPerLayer;
            denseCountPrefix[i + 1] = denseCountPrefix[i] + (dense ? 1 : 0);
            moeCountPrefix[i + 1] = moeCountPrefix[i] + (layer.ffn() == ModelArchitecture.Ffn.MOE ? 1 : 0);
            recurrentCountPrefix[i + 1] = recurrentCountPrefix[i] + (layer.attention().recurrent() ? 1 : 0);
            attentionCountPrefix[i + 1] = attentionCountPrefix[i] + (layer.attention().cachesTokens() ? 1 : 0);
        }
        expertsPerMoeLayer = experts;
        sharedPerMoeLayer = shared;
        largestMixer = mixerMax;
        largestDenseFfn = denseMax;
        largestShared = moeCountPrefix[layers] > 0 ? shared : 0;
        widestDenseFfn = widest > 0 ? widest : a.ffnSize(); // activations peak at the widest dense FFN
        windowed = kvClasses(plan, layers, true);
        unwindowed = kvClasses(plan, layers, false);
        boolean uniform = windowed.classes().length <= 1 && unwindowed.classes().length <= 1;
        for (int i = 1; i < layers && uniform; i++) {
            uniform = part(mixerPrefix, i) == part(mixerPrefix, 0) && part(denseFfnPrefix, i) == part(denseFfnPrefix, 0)
                    && part(expertPrefix, i) == part(expertPrefix, 0) && part(sharedPrefix, i) == part(sharedPrefix, 0)
                    && recurrentCountPrefix[i + 1] - recurrentCountPrefix[i] == recurrentCountPrefix[1];
        }
        uniformLayers = uniform;
    }

    private static double part(double[] prefix, int layer) {
        return prefix[layer + 1] - prefix[layer];
    }

    /** @param windows whether sliding and chunked layers keep only their window (--no-sliding-window: false) */
    KvClasses kv(boolean windows) {
        return windows ? windowed : unwindowed;
    }

    private static KvClasses kvClasses(List<LayerPlan.Layer> plan, int layers, boolean windows) {
        Map<MemoryModel.KvClass, Integer> classes = new LinkedHashMap<>();
        int[] classOf = new int[layers];
        for (LayerPlan.Layer layer : plan) {
            classOf[layer.index()] = -1;
            if (layer.attention().cachesTokens()) {
                // Without windows a window layer caches every token; a compressed layer's raw window is part
                // of its design and stays.
                MemoryModel.KvClass kvClass = new MemoryModel.KvClass(
                        windows || layer.compression() > 1 ? layer.window() : 0,
                        windows && layer.attention() == ModelArchitecture.Attention.SLIDING,
                        layer.kvHeads(), layer.headDim(), layer.kvFactor(), layer.compression(), layer.indexer());
                classOf[layer.index()] = classes.computeIfAbsent(kvClass, k -> classes.size());
            }
        }
        MemoryModel.KvClass[] array = classes.keySet().toArray(new MemoryModel.KvClass[0]);
        int[][] prefix = new int[array.length][layers + 1];
        for (int c = 0; c < array.length; c++) {
            for (int i = 0; i < layers; i++) {
                prefix[c][i + 1] = prefix[c][i] + (classOf[i] == c ? 1 : 0);
            }
        }
        return new KvClasses(array, prefix);
    }
}
