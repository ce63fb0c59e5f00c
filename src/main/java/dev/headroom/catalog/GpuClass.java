package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** Market segment: decides ECC, NVLink, driver licence and form-factor caveats, and how a system is priced. */
public enum GpuClass {
    CONSUMER("consumer"),
    WORKSTATION("workstation"),
    DATA_CENTER("data-center"),
    /** A system whose CPU and GPU share one memory (Apple silicon, DGX Spark, Strix Halo): priced and powered whole. */
    UNIFIED("unified");

    private final String label;

    GpuClass(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
