package dev.headroom.catalog;

import java.util.List;

/**
 * A language model: its architecture (from the published config.json) and the parameter count its authors
 * publish. The engine works from the architecture; the published count is there to check the derivation.
 */
public record Model(
        String id,
        String name,
        String family,
        String huggingFaceId,
        ModelArchitecture architecture,
        Long publishedParameters,
        String parameterNote,
        List<Source> sources) implements CatalogEntry {

    public Model {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Total parameters derived from the architecture. */
    public long derivedParameters() {
        return ParameterCounter.count(architecture).total();
    }

    /** Relative difference of the derived count from the published one (0.01 = 1 %). */
    public double derivationError() {
        return Math.abs(derivedParameters() - (double) publishedParameters) / publishedParameters;
    }
}
