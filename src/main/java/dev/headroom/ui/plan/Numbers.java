package dev.headroom.ui.plan;

import dev.headroom.common.Ranges;
import java.util.Map;
import javafx.beans.property.StringProperty;

/**
 * Text fields read as numbers for a form: each problem goes into {@code messages} under its field, worded as the
 * command line words it ("tp = 0: must be ..."), and the value is null.
 */
final class Numbers {
    private final Map<String, String> messages;

    Numbers(Map<String, String> messages) {
        this.messages = messages;
    }

    Integer integer(String field, StringProperty text) {
        String value = text.get() == null ? "" : text.get().trim().replace(",", "").replace("_", "");
        if (value.isEmpty()) {
            messages.put(field, field + ": is required");
            return null;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (parsed != Math.rint(parsed) || Math.abs(parsed) > Integer.MAX_VALUE) {
                messages.put(field, field + " = " + value + ": must be a whole number");
                return null;
            }
            return (int) parsed;
        } catch (NumberFormatException e) {
            messages.put(field, field + " = " + value + ": must be a whole number");
            return null;
        }
    }

    /** A whole number, or null when the field is blank (the default applies). */
    Integer optionalInteger(String field, StringProperty text) {
        return cleaned(text).isEmpty() ? null : integer(field, text);
    }

    Double optionalDecimal(String field, StringProperty text) {
        return parsed(field, field, cleaned(text));
    }

    /**
     * A number between {@code min} and {@code max}; {@code shown} names it in messages as the command line
     * does, with its unit ("host-memory (GiB) = 0: must be between 1 and 16777216").
     */
    Double decimal(String field, String shown, StringProperty text, double min, double max, boolean required) {
        String value = cleaned(text);
        if (value.isEmpty()) {
            if (required) {
                messages.put(field, shown + ": is required");
            }
            return null;
        }
        Double parsed = parsed(field, shown, value);
        if (parsed != null && !Ranges.within(parsed, min, max)) {
            messages.put(field, Ranges.outside(shown, parsed, min, max));
            return null;
        }
        return parsed;
    }

    private Double parsed(String field, String shown, String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            messages.put(field, shown + " = " + value + ": must be a number");
            return null;
        }
    }

    private static String cleaned(StringProperty text) {
        return text.get() == null ? "" : text.get().trim().replace(",", "").replace("_", "");
    }
}
