package dev.headroom.calibration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The project's accuracy set: published measurements (memory, decode, prefill, serving, training), each with the
 * command that estimates it ({@code size} or {@code simulate} and its flags), the JSON pointer of the estimate's
 * figure, the conditions it was measured under and its source. No default is fitted to it; it says how far the
 * defaults are from what people measure.
 */
public final class AccuracySet {
    public static final String RESOURCE = "/dev/headroom/calibration/accuracy-set.json";
    public static final List<String> CATEGORIES = List.of("memory", "decode", "prefill", "serving", "training");

    /**
     * @param numerator when set, the estimate is {@code numerator / value}: a rate from a time (prefill tokens/s from
     *                  the prefill time, decode tokens/s from the time per output token)
     * @param kind      M measured by the source's author, P published by the authors or vendor, C community report
     */
    public record Row(String id, String category, String runtime, String command, String args, String estimate,
                      Double numerator, double measured, String unit, String conditions, Source source, String kind) {
    }

    public record Source(String title, String url, String date) {
    }

    private AccuracySet() {
    }

    public static List<Row> load() {
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = AccuracySet.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return List.of(mapper.readValue(in, Row[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
