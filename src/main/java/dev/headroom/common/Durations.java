package dev.headroom.common;

import java.util.Locale;

/** "500ms", "1s", "5m", "2h", or plain seconds; above zero and at most {@link #MAX_MILLIS}. */
public final class Durations {
    /** A year: longer is a typo (or 1e309), and it keeps every sum of durations far from overflowing a long. */
    public static final long MAX_MILLIS = 366L * 24 * 3_600_000;

    private Durations() {
    }

    public static long millis(String field, String text) {
        return millis(field, text, 1, MAX_MILLIS);
    }

    /** A duration in seconds between min and max milliseconds; null when the text is null. */
    public static Double seconds(java.util.List<String> problems, String field, String text, long minMillis,
                                 long maxMillis) {
        if (text == null) {
            return null;
        }
        try {
            return millis(field, text, minMillis, maxMillis) / 1000.0;
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    /** A duration between min and max milliseconds; the message names the field, the value and the range. */
    public static long millis(String field, String text, long minMillis, long maxMillis) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double millis;
        try {
            if (t.endsWith("ms")) {
                millis = Double.parseDouble(number(t.substring(0, t.length() - 2)));
            } else {
                long unit = t.endsWith("h") ? 3_600_000 : t.endsWith("m") ? 60_000 : 1000;
                millis = Double.parseDouble(number(t.replaceAll("[smh]$", ""))) * unit;
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " = " + Format.echo(text)
                    + ": must be a duration like 500ms, 1s, 5m");
        }
        // Checked as a double, before the conversion that would turn NaN into 0 and 1e309 into Long.MAX_VALUE.
        if (!(millis >= minMillis && millis <= maxMillis)) {
            throw new IllegalArgumentException(field + " = " + Format.echo(text) + ": must be between "
                    + spelled(minMillis) + " and " + spelled(maxMillis) + " (e.g. 500ms, 1s, 5m)");
        }
        return Math.round(millis);
    }

    /** A bound as a person writes it: 100ms, 10m, 366 days. */
    private static String spelled(long millis) {
        long day = 24 * 3_600_000L;
        if (millis == 0) {
            return "0s";
        }
        return millis % day == 0 ? millis / day + " days" : millis % 3_600_000 == 0 ? millis / 3_600_000 + "h"
                : millis % 60_000 == 0 ? millis / 60_000 + "m" : millis % 1000 == 0 ? millis / 1000 + "s"
                : millis + "ms";
    }

    /** Java's parser also takes "NaN", "Infinity", "0x1p3" and a trailing "d" or "f": only decimals are durations. */
    private static String number(String text) {
        if (!text.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
            throw new NumberFormatException(text);
        }
        return text;
    }
}
