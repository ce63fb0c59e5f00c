package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/** Activation recomputation (Korthikanti et al. 2022, arXiv:2205.05198). */
public enum Recompute implements Labeled {
    /** Keep every activation for the backward pass. */
    NONE("none"),
    /** Recompute only the attention core (the s² terms): about 2-4 % more compute. */
    SELECTIVE("selective"),
    /** Keep each layer's input, recompute the layer: 8·N·D instead of 6·N·D. */
    FULL("full");

    private final String label;

    Recompute(String label) {
        this.label = label;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }
}
