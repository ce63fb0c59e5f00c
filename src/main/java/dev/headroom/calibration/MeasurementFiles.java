package dev.headroom.calibration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.common.Format;
import dev.headroom.common.IoErrors;
import dev.headroom.sizing.Scenario;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads measurements into points of a plan. Four formats, told apart by their content:
 * <ul>
 * <li><b>CSV</b> with the header {@code batch,input_tokens,output_tokens,ttft_s,tpot_s,peak_memory_bytes}: each
 * row a shape and what was measured at it; a measured column may be empty.</li>
 * <li><b>vLLM's benchmark result</b> ({@code vllm bench serve --save-result}, formerly
 * {@code benchmark_serving.py}): one JSON object with {@code completed}, {@code total_input_tokens},
 * {@code total_output_tokens}, {@code request_throughput}, {@code mean_ttft_ms} and {@code mean_tpot_ms}. The
 * running batch is Little's law's (request throughput x mean latency, TTFT + TPOT x (output - 1)); it gives a TPOT
 * point at that batch and the mean lengths, and a TTFT point only when that batch is about one (otherwise the TTFT
 * holds queueing the engine's single-request prefill does not).</li>
 * <li><b>llama.cpp's {@code llama-bench -o json}</b> (or {@code -o jsonl}): results with {@code n_prompt},
 * {@code n_gen} and {@code avg_ts}; a prompt test gives a TTFT point (n_prompt / avg_ts, one sequence), a generation
 * test a TPOT point (1 / avg_ts, one sequence, after {@code n_depth} tokens of context where given).</li>
 * <li><b>A Headroom Monitor recording</b>: the most memory used on any GPU over the run, a peak-memory point at the
 * plan's own shape (for a runtime that reserves memory up front, vLLM's 90 %, that is the reservation).</li>
 * </ul>
 */
public final class MeasurementFiles {
    public static final String CSV_HEADER = "batch,input_tokens,output_tokens,ttft_s,tpot_s,peak_memory_bytes";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MeasurementFiles() {
    }

    public static List<MeasuredPoint> read(Path file, Scenario plan) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MeasurementException(file + ": " + IoErrors.reason(e));
        }
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new MeasurementException(file + ": is empty");
        }
        if (trimmed.startsWith("[")) {
            JsonNode results = parse(file, text);
            List<String> places = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                places.add(file + ", result " + (i + 1));
            }
            return llamaBench(file, plan, results, places);
        }
        if (trimmed.startsWith("{")) {
            String first = trimmed.lines().findFirst().orElse("");
            JsonNode head = null;
            try {
                head = MAPPER.readTree(first);
            } catch (JsonProcessingException e) {
                // a multi-line object: read as a whole below
            }
            if (head != null && Recording.FORMAT.equals(head.path("format").asText())) {
                return recording(file, plan);
            }
            if (head != null && head.has("n_prompt")) {
                List<String> places = new ArrayList<>();
                JsonNode results = jsonLines(file, text, places);
                return llamaBench(file, plan, results, places);
            }
            JsonNode whole = parse(file, text);
            if (whole.has("mean_tpot_ms") || whole.has("mean_ttft_ms")) {
                return vllmBench(file, plan, whole);
            }
            throw new MeasurementException(file + ": a JSON object that is neither a vLLM benchmark result"
                    + " (mean_ttft_ms, mean_tpot_ms), llama-bench output (n_prompt, n_gen, avg_ts) nor a Headroom"
                    + " recording");
        }
        return csv(file, plan, text);
    }

    private static List<MeasuredPoint> csv(Path file, Scenario plan, String text) throws MeasurementException {
        List<String> lines = text.lines().toList();
        String header = lines.get(0).replace(" ", "").replace("\uFEFF", "");
        if (!header.equals(CSV_HEADER)) {
            throw new MeasurementException(file + " line 1: the header must be " + CSV_HEADER + " (found '"
                    + Format.echo(lines.get(0)) + "')");
        }
        List<MeasuredPoint> points = new ArrayList<>();
        String[] names = CSV_HEADER.split(",");
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] cells = line.split(",", -1);
            if (cells.length != names.length) {
                throw new MeasurementException(where + ": " + cells.length + " fields; the header has "
                        + names.length);
            }
            int batch = (int) number(where, names[0], cells[0], 1, 1 << 20, true);
            int in = (int) number(where, names[1], cells[1], 1, 1 << 24, true);
            int out = (int) number(where, names[2], cells[2], 1, 1 << 24, true);
            Scenario at = plan.withShape(new Scenario.Shape(batch, in, out));
            int before = points.size();
            add(points, at, Quantity.TTFT_SECONDS, where, names[3], cells[3], 3600);
            add(points, at, Quantity.TPOT_SECONDS, where, names[4], cells[4], 3600);
            add(points, at, Quantity.PEAK_MEMORY_BYTES, where, names[5], cells[5], 1e15);
            if (points.size() == before) {
                throw new MeasurementException(where + ": no measured value (ttft_s, tpot_s or peak_memory_bytes)");
            }
        }
        if (points.isEmpty()) {
            throw new MeasurementException(file + ": no rows after the header");
        }
        return points;
    }

    private static void add(List<MeasuredPoint> points, Scenario at, Quantity q, String where, String field,
                            String cell, double max) throws MeasurementException {
        if (!cell.isBlank()) {
            points.add(new MeasuredPoint(at, q, number(where, field, cell, Double.MIN_VALUE, max, false),
                    where + " " + field));
        }
    }

    private static double number(String where, String field, String cell, double min, double max, boolean whole)
            throws MeasurementException {
        String text = cell.trim();
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MeasurementException(where + ", field " + field + ": '" + Format.echo(text)
                    + "' is not a number");
        }
        if (!(v >= min && v <= max) || (whole && v != Math.rint(v))) {
            throw new MeasurementException(where + ", field " + field + ": " + Format.echo(text) + " must be "
                    + (whole ? "a whole number " : "") + "from " + fmt(min) + " to " + fmt(max));
        }
        return v;
    }

    private static String fmt(double v) {
        return v == Double.MIN_VALUE ? "above 0" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static List<MeasuredPoint> vllmBench(Path file, Scenario plan, JsonNode r) throws MeasurementException {
        String where = file.toString();
        double completed = field(where, r, "completed", 1, 1e12);
        double in = field(where, r, "total_input_tokens", 1, 1e18) / completed;
        double out = field(where, r, "total_output_tokens", 1, 1e18) / completed;
        double throughput = field(where, r, "request_throughput", Double.MIN_VALUE, 1e9);
        double ttft = field(where, r, "mean_ttft_ms", Double.MIN_VALUE, 3.6e6) / 1e3;
        double tpot = field(where, r, "mean_tpot_ms", Double.MIN_VALUE, 3.6e6) / 1e3;
        // Little's law: requests in the system = their throughput x the time each spends there.
        double inSystem = throughput * (ttft + tpot * Math.max(0, out - 1));
        JsonNode cap = r.path("max_concurrency");
        if (cap.isNumber() && cap.asDouble() > 0) {
            inSystem = Math.min(inSystem, cap.asDouble());
        }
        int batch = (int) Math.max(1, Math.round(inSystem));
        Scenario at = plan.withShape(new Scenario.Shape(batch, (int) Math.max(1, Math.round(in)),
                (int) Math.max(1, Math.round(out))));
        List<MeasuredPoint> points = new ArrayList<>();
        points.add(new MeasuredPoint(at, Quantity.TPOT_SECONDS, tpot, where + " mean_tpot_ms (batch " + batch
                + " by Little's law)"));
        if (inSystem < 1.5) {
            points.add(new MeasuredPoint(at, Quantity.TTFT_SECONDS, ttft, where + " mean_ttft_ms"));
        }
        return points;
    }

    private static double field(String where, JsonNode r, String name, double min, double max)
            throws MeasurementException {
        JsonNode n = r.get(name);
        if (n == null || !n.isNumber()) {
            throw new MeasurementException(where + ", field " + name + ": " + (n == null ? "missing"
                    : "'" + Format.echo(n.asText()) + "' is not a number"));
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw new MeasurementException(where + ", field " + name + ": " + n.asText() + " must be from "
                    + fmt(min) + " to " + fmt(max));
        }
        return v;
    }

    /** @param places where each result is, for messages: "FILE, result N" or, for jsonl, "FILE line N" */
    private static List<MeasuredPoint> llamaBench(Path file, Scenario plan, JsonNode results, List<String> places)
            throws MeasurementException {
        if (!results.isArray() || results.isEmpty()) {
            throw new MeasurementException(file + ": llama-bench output must be a non-empty array of results");
        }
        List<MeasuredPoint> points = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String where = places.get(i);
            double prompt = field(where, r, "n_prompt", 0, 1 << 24);
            double gen = field(where, r, "n_gen", 0, 1 << 24);
            double speed = field(where, r, "avg_ts", Double.MIN_VALUE, 1e9);
            double depth = r.path("n_depth").isNumber() ? r.path("n_depth").asDouble() : 0;
            if (prompt > 0 && gen == 0) {
                points.add(new MeasuredPoint(plan.withShape(new Scenario.Shape(1, (int) prompt, 1)),
                        Quantity.TTFT_SECONDS, prompt / speed, where + " pp" + (int) prompt));
            } else if (gen > 0 && prompt == 0) {
                points.add(new MeasuredPoint(plan.withShape(new Scenario.Shape(1, (int) Math.max(1, depth),
                        (int) gen)), Quantity.TPOT_SECONDS, 1 / speed, where + " tg" + (int) gen));
            } else {
                throw new MeasurementException(where + ": a test with both n_prompt and n_gen (pg) mixes prefill"
                        + " and decode; run llama-bench with -p and -n tests apart");
            }
        }
        return points;
    }

    private static List<MeasuredPoint> recording(Path file, Scenario plan) throws IOException {
        Recording.Contents contents = Recording.read(file);
        double peak = Double.NaN;
        for (Snapshot tick : contents.ticks()) {
            for (GpuReading g : tick.gpus()) {
                double used = g.value(Metric.MEMORY_USED);
                if (!Double.isNaN(used) && (Double.isNaN(peak) || used > peak)) {
                    peak = used;
                }
            }
        }
        if (Double.isNaN(peak) || peak <= 0) {
            throw new MeasurementException(file + ": the recording has no memory-used reading");
        }
        if (contents.simulated()) {
            throw new MeasurementException(file + ": a recording of the simulated source measures nothing real");
        }
        return List.of(new MeasuredPoint(plan, Quantity.PEAK_MEMORY_BYTES, peak, file + " peak memory used over "
                + contents.ticks().size() + " ticks"));
    }

    private static JsonNode parse(Path file, String text) throws MeasurementException {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new MeasurementException(file + line + ": not valid JSON: "
                    + dev.headroom.common.JsonErrors.readable(e.getOriginalMessage()));
        }
    }

    /** One JSON value per non-blank line; {@code places} gets each one's "FILE line N". */
    private static JsonNode jsonLines(Path file, String text, List<String> places) throws MeasurementException {
        var array = MAPPER.createArrayNode();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            places.add(file + " line " + (i + 1));
            try {
                array.add(MAPPER.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                throw new MeasurementException(file + " line " + (i + 1) + ": not valid JSON: "
                        + dev.headroom.common.JsonErrors.readable(e.getOriginalMessage()));
            }
        }
        return array;
    }
}
