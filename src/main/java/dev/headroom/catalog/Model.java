package dev.headroom.catalog;

import java.util.List;

/**
 * A language model: its architecture (from the published config.json) and the parameter count its authors
 * publish. The engine works from the architecture; the published counts are there to check the derivation.
 *
 * @param publishedParameters       the total its authors publish (text model, or with a vision tower where they
 *                                  count it: {@code parameterNote} says which)
 * @param publishedActiveParameters for mixtures of experts, the parameters per token they publish; else null
 * @param nativeFormat              the weight format of the published checkpoint where it is not 16-bit (its
 *                                  config.json quantization_config: "fp8-block", "mxfp4", "int4"...), a label of
 *                                  the sizing engine's weight formats; null for a bf16 / fp16 checkpoint
 */
public record Model(
        String id,
        String name,
        String family,
        String huggingFaceId,
        ModelArchitecture architecture,
        Long publishedParameters,
        Long publishedActiveParameters,
        String parameterNote,
        String nativeFormat,
        List<Source> sources) implements CatalogEntry {

    public Model {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** Total parameters derived from the architecture. */
    public long derivedParameters() {
        return ParameterCounter.count(architecture).total();
    }

    /** Active parameters per token derived from the architecture. */
    public long derivedActiveParameters() {
        return ParameterCounter.count(architecture).active();
    }

    /** Relative difference of the derived count from the published one (0.01 = 1 %). */
    public double derivationError() {
        return Math.abs(derivedParameters() - (double) publishedParameters) / publishedParameters;
    }

    /** Relative difference of the derived active count from the published one; NaN when none is published. */
    public double activeDerivationError() {
        return publishedActiveParameters == null ? Double.NaN
                : Math.abs(derivedActiveParameters() - (double) publishedActiveParameters) / publishedActiveParameters;
    }
}
