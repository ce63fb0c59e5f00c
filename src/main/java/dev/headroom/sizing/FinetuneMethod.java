package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a fine-tune updates the model: every weight, or low-rank adapters over frozen (possibly 4-bit) weights. */
public enum FinetuneMethod implements Labeled {
    FULL("full"),
    LORA("lora"),
    QLORA("qlora");

    private final String label;

    FinetuneMethod(String label) {
        this.label = label;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }
}
