package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Optimizer state per trainable parameter, beyond the fp32 master copy (ZeRO paper's K = 4 + state bytes).
 * Sources: ZeRO (arXiv:1910.02054) §3 for Adam (fp32 m and v: 8 B); Dettmers et al. "8-bit Optimizers"
 * (arXiv:2110.02861) for 8-bit Adam (2 B); EleutherAI Transformer Math 101 for SGD with momentum (4 B);
 * Shazeer and Stern 2018 (arXiv:1804.04235) for Adafactor, whose factored second moment is O(rows + columns)
 * per matrix, negligible against O(rows x columns), so 0 B per parameter without momentum.
 */
public enum Optimizer implements Labeled {
    ADAMW("adamw", 8),
    ADAMW_8BIT("adamw-8bit", 2),
    SGD("sgd", 4),
    ADAFACTOR("adafactor", 0);

    private final String label;
    private final int stateBytesPerParameter;

    Optimizer(String label, int stateBytesPerParameter) {
        this.label = label;
        this.stateBytesPerParameter = stateBytesPerParameter;
    }

    @Override
    @JsonValue
    public String label() {
        return label;
    }

    /** Moment estimates per parameter, not counting the fp32 master weights. */
    public int stateBytesPerParameter() {
        return stateBytesPerParameter;
    }
}
