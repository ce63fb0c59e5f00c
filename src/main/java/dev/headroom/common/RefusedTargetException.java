package dev.headroom.common;

import java.io.IOException;

/**
 * {@link AtomicFiles} would not write to a path (not a regular file, a missing or unwritable folder): the user's
 * mistake, not a failure of the disk, so the command line exits 2 for it. The message is one line for the user.
 */
public final class RefusedTargetException extends IOException {
    public RefusedTargetException(String message) {
        super(message);
    }
}
