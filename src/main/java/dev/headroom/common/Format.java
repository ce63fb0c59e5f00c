package dev.headroom.common;

import java.util.Locale;

/** How figures read to people, one way everywhere (CLI tables, UI labels). Units are always spelled out. */
public final class Format {
    public static final double GIB = 1L << 30;
    public static final int ECHO_LIMIT = 80;

    private Format() {
    }

    /**
     * A value with a fixed number of decimals (0 to 3), rounded half up as {@code %.Nf} rounds, without the
     * formatter: the monitor writes some sixty of these a second, and String.format parses its pattern with a
     * regular expression each time (most of a settled tick's CPU). Beyond 1e15 or not finite: String.format.
     */
    public static String fixed(double value, int decimals) {
        if (!Double.isFinite(value) || Math.abs(value) >= 1e15 || decimals < 0 || decimals > 3) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        long scale = decimals == 0 ? 1 : decimals == 1 ? 10 : decimals == 2 ? 100 : 1000;
        // the shortest decimal form of the double, rounded half up: what Formatter does for %.Nf
        long scaled = java.math.BigDecimal.valueOf(Math.abs(value)).movePointRight(decimals)
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        StringBuilder text = new StringBuilder(24);
        if (Double.doubleToRawLongBits(value) < 0) {
            text.append('-'); // as the formatter: -0.4 with no decimals is "-0"
        }
        text.append(scaled / scale);
        if (decimals > 0) {
            String fraction = Long.toString(scaled % scale);
            text.append('.');
            for (int i = fraction.length(); i < decimals; i++) {
                text.append('0');
            }
            text.append(fraction);
        }
        return text.toString();
    }

    /**
     * A whole number with thousands separators, as {@code %,d} writes it in the root locale, without the formatter:
     * warnings built inside the fit searches run by the hundred thousand in a recommender screen.
     */
    public static String thousands(long value) {
        String digits = Long.toString(value);
        digits = value < 0 ? digits.substring(1) : digits; // not Math.abs: it leaves Long.MIN_VALUE negative
        StringBuilder text = new StringBuilder(digits.length() + digits.length() / 3 + 1);
        if (value < 0) {
            text.append('-');
        }
        int head = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        text.append(digits, 0, head);
        for (int i = head; i < digits.length(); i += 3) {
            text.append(',').append(digits, i, i + 3);
        }
        return text.toString();
    }

    /** Memory in GiB (what nvidia-smi and PyTorch show), e.g. "79.6 GiB". */
    public static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
    }

    /** Parameter counts in billions or millions, e.g. "8.03 B", "494 M". */
    public static String parameters(long count) {
        if (count >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", count / 1e9);
        }
        return String.format(Locale.ROOT, "%.0f M", count / 1e6);
    }

    /** Bandwidth in GB/s (decimal, as vendors publish it). */
    public static String gbPerSecond(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%,.0f GB/s", bytesPerSecond / 1e9);
    }

    public static String number(Double value) {
        if (value == null) {
            return "-";
        }
        return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,.1f", value);
    }

    public static String usd(Double value) {
        if (value == null) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "$%,.0f", value) : String.format(Locale.ROOT, "$%.2f", value);
    }

    /** A number as a person types it: whole numbers without a decimal point, others in short form. */
    public static String plain(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value); // NaN, Infinity, -Infinity: what the user typed, not a BigDecimal error
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        java.math.BigDecimal rounded = java.math.BigDecimal.valueOf(value).round(new java.math.MathContext(6))
                .stripTrailingZeros();
        // 1e300 as 1E+300, not as 301 digits; everyday values stay plain
        return Math.abs(value) >= 1e15 || Math.abs(value) < 1e-6 && value != 0 ? rounded.toString()
                : rounded.toPlainString();
    }

    /**
     * A value the user gave, for a message: at most {@link #ECHO_LIMIT} characters, so a 100,000-character
     * argument does not fill the terminal; longer text is cut and says how long it was.
     */
    public static String echo(String value) {
        if (value == null) {
            return "(none)";
        }
        return value.length() <= ECHO_LIMIT ? value
                : value.substring(0, ECHO_LIMIT - 3) + "... (" + value.length() + " characters)";
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }

    /** A duration as a person reads it: 12.3 ms, 1.23 s, 12.5 min. */
    public static String time(double seconds) {
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
        }
        if (seconds < 600) {
            return String.format(Locale.ROOT, "%.2f s", seconds);
        }
        return String.format(Locale.ROOT, "%.1f min", seconds / 60);
    }
}
