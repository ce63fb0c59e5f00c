package dev.headroom.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording format: JSON lines. The first line is a header (format, version, source, whether simulated,
 * driver versions, interval, the unit of every metric key, and the GPUs); then one line per tick:
 * {@code {"t": epochMillis, "gpus": [{"i": 0, "state": "OK", "throttle": 4, "v": {"util": 97, ...},
 * "s": {"fan": "NOT_SUPPORTED"}}]}}. Lines are appended and flushed each tick, so a crash (even kill -9) loses
 * at most the tick being written; a reader skips a torn last line.
 */
public final class Recording {
    public static final String FORMAT = "headroom-recording";
    public static final int VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Recording() {
    }

    /** Appends snapshots to a file; one flushed line per tick. */
    public static final class Writer implements AutoCloseable {
        private final BufferedWriter out;

        public Writer(Path file, GpuSource source, List<GpuInfo> gpus, long intervalMillis) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            ObjectNode header = MAPPER.createObjectNode();
            header.put("format", FORMAT);
            header.put("version", VERSION);
            header.put("source", source.name());
            header.put("simulated", source.simulated());
            header.put("versions", source.versions());
            header.put("intervalMillis", intervalMillis);
            ObjectNode units = header.putObject("units");
            for (Metric metric : Metric.all()) {
                units.put(metric.key(), metric.unit());
            }
            header.set("gpus", MAPPER.valueToTree(gpus));
            line(header);
        }

        public synchronized void append(Snapshot snapshot) throws IOException {
            line(toJson(snapshot));
        }

        private void line(JsonNode node) throws IOException {
            out.write(MAPPER.writeValueAsString(node));
            out.newLine();
            out.flush(); // to the OS each tick: a killed process loses nothing already flushed
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }

    static ObjectNode toJson(Snapshot snapshot) {
        ObjectNode tick = MAPPER.createObjectNode();
        tick.put("t", snapshot.epochMillis());
        ArrayNode gpus = tick.putArray("gpus");
        for (GpuReading reading : snapshot.gpus()) {
            ObjectNode gpu = gpus.addObject();
            gpu.put("i", reading.index());
            gpu.put("state", reading.state().name());
            gpu.put("throttle", reading.throttleMask());
            ObjectNode values = gpu.putObject("v");
            ObjectNode status = MAPPER.createObjectNode();
            for (Metric metric : Metric.all()) {
                if (reading.has(metric)) {
                    values.put(metric.key(), reading.value(metric));
                } else {
                    status.put(metric.key(), reading.status(metric).name());
                }
            }
            if (!status.isEmpty()) {
                gpu.set("s", status);
            }
            if (reading.processes() != null) {
                gpu.set("p", MAPPER.valueToTree(reading.processes()));
            }
        }
        return tick;
    }

    /** A recording read back: its header and its ticks. */
    public record Contents(String source, boolean simulated, String versions, long intervalMillis,
                           List<GpuInfo> gpus, List<Snapshot> ticks, boolean tornLastLine) {
    }

    public static Contents read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            if (first == null) {
                throw new IOException(file + ": is empty, not a recording");
            }
            JsonNode header;
            try {
                header = MAPPER.readTree(first);
            } catch (IOException e) {
                throw new IOException(file + " line 1: not a recording header: " + e.getMessage(), e);
            }
            if (!FORMAT.equals(header.path("format").asText())) {
                throw new IOException(file + " line 1: format is '" + header.path("format").asText()
                        + "', expected '" + FORMAT + "'");
            }
            List<GpuInfo> gpus = new ArrayList<>();
            for (JsonNode gpu : header.path("gpus")) {
                gpus.add(MAPPER.treeToValue(gpu, GpuInfo.class));
            }
            boolean simulated = header.path("simulated").asBoolean();
            String source = header.path("source").asText();
            List<Snapshot> ticks = new ArrayList<>();
            boolean torn = false;
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    ticks.add(fromJson(MAPPER.readTree(line), source, simulated));
                } catch (IOException | RuntimeException e) {
                    if (in.ready()) {
                        throw new IOException(file + " line " + number + ": not a tick: " + e.getMessage(), e);
                    }
                    torn = true; // the tick being written when the recorder died
                }
            }
            return new Contents(source, simulated, header.path("versions").asText(),
                    header.path("intervalMillis").asLong(1000), gpus, ticks, torn);
        }
    }

    static Snapshot fromJson(JsonNode tick, String source, boolean simulated) {
        List<GpuReading> readings = new ArrayList<>();
        for (JsonNode gpu : tick.get("gpus")) {
            double[] values = new double[Metric.all().length];
            MetricStatus[] status = new MetricStatus[Metric.all().length];
            for (Metric metric : Metric.all()) {
                JsonNode value = gpu.path("v").get(metric.key());
                if (value != null && value.isNumber()) {
                    values[metric.ordinal()] = value.asDouble();
                    status[metric.ordinal()] = MetricStatus.OK;
                } else {
                    values[metric.ordinal()] = Double.NaN;
                    JsonNode why = gpu.path("s").get(metric.key());
                    status[metric.ordinal()] = why == null ? MetricStatus.ERROR : MetricStatus.valueOf(why.asText());
                }
            }
            List<GpuProcess> processes = null;
            if (gpu.has("p")) {
                processes = new ArrayList<>();
                for (JsonNode p : gpu.get("p")) {
                    processes.add(new GpuProcess(p.path("pid").asInt(), p.path("kind").asText(),
                            p.path("usedBytes").isNumber() ? p.get("usedBytes").asLong() : null,
                            p.path("name").isTextual() ? p.get("name").asText() : null,
                            p.path("user").isTextual() ? p.get("user").asText() : null));
                }
            }
            readings.add(new GpuReading(gpu.get("i").asInt(), MetricStatus.valueOf(gpu.get("state").asText()),
                    values, status, gpu.path("throttle").asLong(), processes));
        }
        return new Snapshot(tick.get("t").asLong(), source, simulated, readings);
    }

    /** Units by metric key, as the header states them. */
    public static Map<String, String> units() {
        Map<String, String> units = new LinkedHashMap<>();
        for (Metric metric : Metric.all()) {
            units.put(metric.key(), metric.unit());
        }
        return units;
    }
}
