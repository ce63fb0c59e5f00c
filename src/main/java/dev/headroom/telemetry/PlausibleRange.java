package dev.headroom.telemetry;

import java.util.Locale;

/**
 * The values a reading can physically take, by unit, generous enough for any GPU to come: a recorded value
 * outside them (utilization -50 %, 1e300 °C, -1e9 W) means a corrupt or forged file, not a hot GPU.
 */
final class PlausibleRange {
    private PlausibleRange() {
    }

    /** Null when the value is possible; else the rule it breaks, e.g. "must be between 0 and 100 %". */
    static String problem(Metric metric, double value) {
        double[] range = switch (metric.unit()) {
            case "%" -> new double[] {0, 100};
            case "°C" -> new double[] {-50, 200};
            case "W" -> new double[] {0, 10_000};
            case "MHz" -> new double[] {0, 100_000};
            case "P" -> new double[] {0, 32}; // P0..P15, and NVML's 32 for "unknown"
            case "bytes" -> new double[] {0, 0x1p50}; // 1 PiB of GPU memory
            case "flag", "ratio" -> new double[] {0, 1};
            default -> new double[] {0, 0x1p63}; // counters and rates: never negative
        };
        if (Double.isFinite(value) && value >= range[0] && value <= range[1]) {
            return null;
        }
        return String.format(Locale.ROOT, "must be between %s and %s %s", plain(range[0]), plain(range[1]),
                metric.unit());
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e18 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
