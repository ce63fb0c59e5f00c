package dev.headroom.common;

import java.util.List;

/**
 * The one range check behind every numeric flag, plan field and form field, so they all word a problem the same
 * way ("tp = 0: must be between 1 and 1024") and NaN or Infinity fail like any other value outside the range.
 */
public final class Ranges {
    private Ranges() {
    }

    /** Adds a problem when the value is missing or outside [min, max]. */
    public static void required(List<String> problems, String field, Number value, double min, double max) {
        if (value == null) {
            problems.add(field + ": is required");
        } else {
            optional(problems, field, value, min, max);
        }
    }

    /** Adds a problem when the value is given and outside [min, max]; NaN is outside every range. */
    public static void optional(List<String> problems, String field, Number value, double min, double max) {
        if (value != null && !within(value, min, max)) {
            problems.add(outside(field, value, min, max));
        }
    }

    public static boolean within(Number value, double min, double max) {
        return value.doubleValue() >= min && value.doubleValue() <= max;
    }

    public static String outside(String field, Number value, double min, double max) {
        return field + " = " + Format.plain(value.doubleValue()) + ": must be between " + Format.plain(min) + " and "
                + Format.plain(max);
    }
}
