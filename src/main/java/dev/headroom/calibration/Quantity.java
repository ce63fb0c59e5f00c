package dev.headroom.calibration;

import dev.headroom.sizing.Estimate;

/** What a measured point measures, and the estimate's figure it is compared with. */
public enum Quantity {
    /** Time to first token of one request at the point's batch: the estimate's prefill time. */
    TTFT_SECONDS("ttft", "s"),
    /** Time per output token while the point's batch decodes: the estimate's decode step. */
    TPOT_SECONDS("tpot", "s"),
    /** Most memory used on the most loaded GPU: the estimate's total per GPU. */
    PEAK_MEMORY_BYTES("peak memory", "bytes");

    private final String label;
    private final String unit;

    Quantity(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** The estimate's figure for this quantity; NaN where the estimate has none (a model that does not run). */
    public double of(Estimate e) {
        return switch (this) {
            case TTFT_SECONDS -> e.performance().prefillSeconds() == null ? Double.NaN
                    : e.performance().prefillSeconds();
            case TPOT_SECONDS -> e.performance().timePerOutputTokenSeconds() == null ? Double.NaN
                    : e.performance().timePerOutputTokenSeconds();
            case PEAK_MEMORY_BYTES -> e.memory().totalBytes();
        };
    }
}
