package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/** The linear layers a LoRA adapter can wrap (PEFT's target_modules names). */
public enum LoraTarget implements Labeled {
    Q("q_proj"),
    K("k_proj"),
    V("v_proj"),
    O("o_proj"),
    GATE("gate_proj"),
    UP("up_proj"),
    DOWN("down_proj");

    private final String label;

    LoraTarget(String label) {
        this.label = label;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }
}
