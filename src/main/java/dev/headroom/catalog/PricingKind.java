package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a cloud price is bought: it decides the commitment a break-even is measured against. */
public enum PricingKind {
    ON_DEMAND("on-demand"),
    ONE_YEAR("1-year"),
    THREE_YEAR("3-year"),
    SPOT("spot");

    private final String label;

    PricingKind(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }
}
