package dev.headroom.telemetry;

/** A source that cannot start, with a reason a user can act on (install the driver, reboot after an upgrade...). */
public class SourceUnavailableException extends RuntimeException {
    /** Why the source is unavailable. */
    public enum Reason { LIBRARY_NOT_FOUND, DRIVER_NOT_LOADED, VERSION_MISMATCH, NO_PERMISSION, NO_GPUS, FAILED }

    private final Reason reason;

    public SourceUnavailableException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
