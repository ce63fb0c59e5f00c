package dev.headroom.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * NVML clock-event ("throttle") reasons, their bits in {@code nvmlDeviceGetCurrentClocksEventReasons}, and the
 * names dcgm-exporter uses (shared/reference/monitoring-and-nvml.md §2.4).
 */
public enum ThrottleReason {
    GPU_IDLE(0x1L, "gpu_idle", "GPU idle"),
    APPLICATIONS_CLOCKS(0x2L, "clocks_setting", "Applications clocks setting"),
    SW_POWER_CAP(0x4L, "power_cap", "Software power cap"),
    HW_SLOWDOWN(0x8L, "hw_slowdown", "Hardware slowdown"),
    SYNC_BOOST(0x10L, "sync_boost", "Sync boost"),
    SW_THERMAL(0x20L, "sw_thermal", "Software thermal slowdown"),
    HW_THERMAL(0x40L, "hw_thermal", "Hardware thermal slowdown"),
    HW_POWER_BRAKE(0x80L, "hw_power_brake", "Hardware power brake"),
    DISPLAY_CLOCKS(0x100L, "display_clocks", "Display clock setting");

    private final long bit;
    private final String key;
    private final String label;

    ThrottleReason(long bit, String key, String label) {
        this.bit = bit;
        this.key = key;
        this.label = label;
    }

    public long bit() {
        return bit;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    /** The reasons set in an NVML bitmask, in bit order; unknown bits are ignored. */
    public static List<ThrottleReason> decode(long mask) {
        List<ThrottleReason> reasons = new ArrayList<>();
        for (ThrottleReason reason : values()) {
            if ((mask & reason.bit) != 0) {
                reasons.add(reason);
            }
        }
        return reasons;
    }

    /** Reasons that cost performance (idle and clock settings are not slowdowns). */
    public boolean slowsDown() {
        return this == SW_POWER_CAP || this == HW_SLOWDOWN || this == SW_THERMAL || this == HW_THERMAL
                || this == HW_POWER_BRAKE;
    }
}
