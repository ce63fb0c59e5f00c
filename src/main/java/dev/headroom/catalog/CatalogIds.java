package dev.headroom.catalog;

import dev.headroom.common.Format;
import java.util.Optional;

/**
 * Checks an id a user typed (a flag, a plan file, a form) before it is looked up or echoed: no catalog id is longer
 * than {@link #MAX_LENGTH} characters or holds control characters, so such a value is a mistake or an attack,
 * and the message shows only the start of it.
 */
public final class CatalogIds {
    public static final int MAX_LENGTH = 200;

    private CatalogIds() {
    }

    /** The problem with this id, naming the field; empty for an acceptable id or none. */
    public static Optional<String> problem(String field, String id) {
        if (id == null) {
            return Optional.empty();
        }
        if (id.length() > MAX_LENGTH) {
            return Optional.of(field + " = " + Format.echo(id) + ": an id has at most " + MAX_LENGTH + " characters");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return Optional.of(field + " = " + Format.echo(id.replaceAll("\\p{Cntrl}", "?"))
                    + ": an id cannot hold control characters");
        }
        return Optional.empty();
    }
}
