package dev.headroom.calibration;

import java.io.IOException;

/** A measurement file that cannot be read, naming the file, the line (or result) and the field. */
public final class MeasurementException extends IOException {
    public MeasurementException(String message) {
        super(message);
    }
}
