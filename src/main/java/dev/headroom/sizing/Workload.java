package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Workload implements Labeled {
    INFERENCE("inference"),
    FINETUNE("finetune"),
    PRETRAIN("pretrain");

    private final String label;

    Workload(String label) {
        this.label = label;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }

    public boolean isTraining() {
        return this != INFERENCE;
    }
}
