package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** Market segment: decides ECC, NVLink, driver licence and form-factor caveats. */
public enum GpuClass {
    CONSUMER("consumer"),
    WORKSTATION("workstation"),
    DATA_CENTER("data-center");

    private final String label;

    GpuClass(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
