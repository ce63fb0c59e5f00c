package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/** Floating-point formats for activations, gradients and the KV cache, with their bytes per element. */
public enum NumberFormat implements Labeled {
    FP32("fp32", 4),
    FP16("fp16", 2),
    BF16("bf16", 2),
    FP8("fp8", 1),
    INT8("int8", 1);

    private final String label;
    private final int bytes;

    NumberFormat(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }

    public int bytes() {
        return bytes;
    }
}
