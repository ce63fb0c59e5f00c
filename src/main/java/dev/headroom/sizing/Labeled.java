package dev.headroom.sizing;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Enums whose JSON and command-line spelling is a lower-case label ("adamw-8bit", "q4_k_m"). */
public interface Labeled {
    String label();

    /** The constant with this label, or an error that lists the allowed labels. */
    static <E extends Enum<E> & Labeled> E parse(Class<E> type, String field, String label) {
        for (E value : type.getEnumConstants()) {
            if (value.label().equalsIgnoreCase(label)) {
                return value;
            }
        }
        throw new IllegalArgumentException(field + " '" + dev.headroom.common.Format.echo(label) + "' is not one of: "
                + labels(type));
    }

    static <E extends Enum<E> & Labeled> String labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(Labeled::label).collect(Collectors.joining(", "));
    }
}
