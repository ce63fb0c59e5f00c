package dev.headroom.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.common.AtomicFiles;
import dev.headroom.common.RefusedTargetException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The recording format: JSON lines. The first line is a header (format, version, source, whether simulated,
 * driver versions, interval, the unit of every metric key, and the GPUs); then one line per tick:
 * {@code {"t": epochMillis, "gpus": [{"i": 0, "state": "OK", "throttle": 4, "v": {"util": 97, ...},
 * "s": {"fan": "NOT_SUPPORTED"}}]}}. Lines are appended and flushed each tick, so a crash (even kill -9) loses
 * at most the tick being written.
 *
 * <p>Reading is strict, so a report never summarizes a corrupt file: a header of another version, a tick for a
 * GPU the header does not list, a value no GPU can read ({@link PlausibleRange}) or time running backwards is an
 * error naming the file and the line. One exception: a last line with no newline that is not JSON is the tick a
 * killed recorder was writing; it is skipped and {@link Contents#tornLine()} says which line it was. A complete
 * last line (with its newline) that is bad is an error like any other.
 *
 * <p>Writing to a file that holds a recording appends to it when it is the same recording: the same format
 * version, the same source name, the same GPUs (every field of their {@link GpuInfo}) and the same interval, so
 * the header stays true for every tick. Anything else there (a plan, a text file, a recording of other GPUs)
 * is refused unless the caller asks to overwrite.
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

        /** Appends to the same recording at {@code file}, or starts one; refuses any other file there. */
        private final java.util.Set<Integer> gpuIndexes;

        public Writer(Path file, GpuSource source, List<GpuInfo> gpus, long intervalMillis) throws IOException {
            this(file, source, gpus, intervalMillis, false);
        }

        /**
         * @param overwrite replace whatever is at {@code file} with a new recording
         * @throws RefusedTargetException the path cannot be written, or holds something that is not this recording
         */
        public Writer(Path file, GpuSource source, List<GpuInfo> gpus, long intervalMillis, boolean overwrite)
                throws IOException {
            ObjectNode header = header(source, gpus, intervalMillis);
            gpuIndexes = gpus.stream().map(GpuInfo::index).collect(java.util.stream.Collectors.toUnmodifiableSet());
            Path target = AtomicFiles.checkedTarget(file, AtomicFiles.Folder.MUST_EXIST);
            boolean append = !overwrite && Files.exists(target) && Files.size(target) > 0;
            if (append) {
                checkSameRecording(file, target, header);
                checkReadsBackAndEndsBeforeNow(file, target);
            } else {
                // a new file, or the one replaced, holds the header whole before any tick: atomic like any write
                AtomicFiles.writeString(file, MAPPER.writeValueAsString(header) + "\n");
            }
            if (append) {
                try (FileChannel tail = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    endAtALineBreak(tail);
                }
            }
            FileChannel channel = AtomicFiles.openAppending(file);
            out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8));
        }

        private static ObjectNode header(GpuSource source, List<GpuInfo> gpus, long intervalMillis) {
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
            return header;
        }

        /**
         * Appending to a recording that does not read back, or whose last tick is later than this machine's clock,
         * would leave a file replay refuses as a whole; so such a file is refused now, while nothing is lost.
         */
        private static void checkReadsBackAndEndsBeforeNow(Path file, Path target) throws IOException {
            Contents contents;
            try {
                contents = read(target);
            } catch (IOException e) {
                throw new RefusedTargetException(file + ": the recording there does not read back (" + e.getMessage()
                        + "); nothing appended; give --overwrite to replace it, or another file");
            }
            List<Snapshot> ticks = contents.ticks();
            long now = System.currentTimeMillis();
            // A tick in this very millisecond is not "later": two ticks may share a millisecond (report handles it).
            if (!ticks.isEmpty() && ticks.get(ticks.size() - 1).epochMillis() > now) {
                throw new RefusedTargetException(file + ": its last tick is " + (ticks.get(ticks.size() - 1).epochMillis()
                        - now) + " ms later than this machine's clock, so appended ticks would run time backwards;"
                        + " nothing appended; give --overwrite to replace it, or another file");
            }
        }

        /** What "the same recording" means: see the class comment. The driver versions may differ (an update). */
        private static void checkSameRecording(Path file, Path target, ObjectNode wanted) throws IOException {
            String first;
            try (BufferedReader in = Files.newBufferedReader(target, StandardCharsets.UTF_8)) {
                first = in.readLine();
            } catch (CharacterCodingException e) {
                first = null;
            }
            JsonNode existing = null;
            try {
                existing = first == null ? null : MAPPER.readTree(first);
            } catch (IOException e) {
                // not JSON: not a recording
            }
            String refuse = "; nothing written (name another file, or add --overwrite to replace it)";
            if (existing == null || !FORMAT.equals(existing.path("format").asText())) {
                throw new RefusedTargetException(file + ": holds something that is not a headroom recording" + refuse);
            }
            JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(wanted)); // as read back: same node types
            for (String field : new String[] {"version", "source", "gpus", "intervalMillis"}) {
                if (!written.get(field).equals(existing.path(field))) {
                    throw new RefusedTargetException(file + ": is a recording of " + describe(existing)
                            + ", not of " + describe(wanted) + " (" + field + " differs)" + refuse);
                }
            }
        }

        private static String describe(JsonNode header) {
            int gpus = header.path("gpus").size();
            return header.path("source").asText("?") + " (" + gpus + " GPU" + (gpus == 1 ? "" : "s") + ", every "
                    + header.path("intervalMillis").asText("?") + " ms, version " + header.path("version").asText("?")
                    + ")";
        }

        /**
         * A recorder killed mid-write leaves a last line with no newline. Cut it if it is a torn tick (it was never
         * whole); end it with a newline if it is whole, so the next tick starts on a line of its own.
         */
        private static void endAtALineBreak(FileChannel channel) throws IOException {
            long size = channel.size();
            if (size == 0 || lastByte(channel, size - 1) == '\n') {
                return;
            }
            long start = size - 1;
            while (start > 0 && lastByte(channel, start - 1) != '\n') {
                start--;
            }
            ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - start, 1 << 24));
            channel.read(tail, start);
            boolean whole;
            try {
                MAPPER.readTree(new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8));
                whole = true;
            } catch (IOException e) {
                whole = false;
            }
            if (whole) {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            } else {
                channel.truncate(start);
            }
        }

        private static byte lastByte(FileChannel channel, long position) throws IOException {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            return one.get(0);
        }

        /**
         * Writes one tick. A GPU the header does not list (one that joined a fleet after the recording began) is
         * left out, so the recording keeps reading back whole.
         */
        public synchronized void append(Snapshot snapshot) throws IOException {
            if (snapshot.gpus().stream().anyMatch(r -> !gpuIndexes.contains(r.index()))) {
                snapshot = new Snapshot(snapshot.epochMillis(), snapshot.source(), snapshot.simulated(),
                        snapshot.gpus().stream().filter(r -> gpuIndexes.contains(r.index())).toList());
            }
            line(toJson(snapshot));
        }

        private void line(JsonNode node) throws IOException {
            out.write(MAPPER.writeValueAsString(node));
            out.write('\n');
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

    /**
     * A recording read back: its header and its ticks.
     *
     * @param tornLine the line number of a torn last line that was skipped (a killed recorder's), or 0
     */
    public record Contents(String source, boolean simulated, String versions, long intervalMillis,
                           List<GpuInfo> gpus, List<Snapshot> ticks, int tornLine) {
        public boolean tornLastLine() {
            return tornLine > 0;
        }
    }

    /** A line of a recording that cannot be read, with the reason; the caller adds file and line. */
    private static final class BadLine extends Exception {
        BadLine(String reason) {
            super(reason);
        }
    }

    public static Contents read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(file, in, endsWithNewline(file));
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": is not UTF-8 text, not a recording");
        }
    }

    private static Contents read(Path file, BufferedReader in, boolean endsWithNewline) throws IOException {
        String first = in.readLine();
        if (first == null) {
            throw new IOException(file + ": is empty, not a recording");
        }
        JsonNode header;
        try {
            header = MAPPER.readTree(first);
        } catch (IOException e) {
            throw new IOException(file + " line 1: not a recording header (not JSON)");
        }
        if (header == null || !FORMAT.equals(header.path("format").asText())) {
            throw new IOException(file + " line 1: format is '" + (header == null ? "" : header.path("format").asText())
                    + "', expected '" + FORMAT + "'");
        }
        if (!header.path("version").isInt() || header.get("version").asInt() != VERSION) {
            throw new IOException(file + " line 1: version = " + header.path("version")
                    + ": this build reads version " + VERSION + " only");
        }
        long intervalMillis = header.path("intervalMillis").asLong(1000);
        if (intervalMillis <= 0) {
            throw new IOException(file + " line 1: intervalMillis = " + header.get("intervalMillis") + ": must be above 0");
        }
        List<GpuInfo> gpus = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        try {
            for (JsonNode gpu : header.path("gpus")) {
                GpuInfo info = MAPPER.treeToValue(gpu, GpuInfo.class);
                gpus.add(info);
                indexes.add(info.index());
            }
        } catch (IOException e) {
            throw new IOException(file + " line 1: a GPU of the header cannot be read");
        }
        boolean simulated = header.path("simulated").asBoolean();
        String source = header.path("source").asText();
        List<Snapshot> ticks = new ArrayList<>();
        int torn = 0;
        int number = 1;
        String line = in.readLine();
        while (line != null) {
            number++;
            String next = in.readLine();
            boolean last = next == null;
            if (!line.isBlank()) {
                JsonNode tick = null;
                try {
                    tick = MAPPER.readTree(line);
                } catch (IOException e) {
                    if (!(last && !endsWithNewline)) {
                        throw new IOException(file + " line " + number + ": not a tick (not JSON)");
                    }
                    torn = number; // the tick being written when the recorder died
                }
                if (tick != null) {
                    try {
                        Snapshot snapshot = fromJson(tick, source, simulated, indexes);
                        // two ticks in one millisecond happen (a fast sampler) and are kept; earlier is not
                        if (!ticks.isEmpty() && snapshot.epochMillis() < ticks.get(ticks.size() - 1).epochMillis()) {
                            throw new BadLine("t = " + snapshot.epochMillis() + ": time runs backwards (the tick before is "
                                    + (ticks.get(ticks.size() - 1).epochMillis() - snapshot.epochMillis()) + " ms later)");
                        }
                        ticks.add(snapshot);
                    } catch (BadLine e) {
                        throw new IOException(file + " line " + number + ": " + e.getMessage());
                    }
                }
            }
            line = next;
        }
        return new Contents(source, simulated, header.path("versions").asText(), intervalMillis, gpus, ticks, torn);
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }

    private static Snapshot fromJson(JsonNode tick, String source, boolean simulated, Set<Integer> indexes)
            throws BadLine {
        if (!tick.path("t").isIntegralNumber() || !tick.path("t").canConvertToLong()) {
            throw new BadLine("not a tick: t = " + tick.path("t") + ": must be a time in epoch milliseconds");
        }
        if (!tick.path("gpus").isArray()) {
            throw new BadLine("not a tick: gpus must be a list");
        }
        List<GpuReading> readings = new ArrayList<>();
        Set<Integer> seen = new java.util.HashSet<>();
        for (JsonNode gpu : tick.get("gpus")) {
            if (!gpu.path("i").isInt()) {
                throw new BadLine("not a tick: a GPU's i = " + gpu.path("i") + ": must be a GPU index");
            }
            int index = gpu.get("i").asInt();
            if (!seen.add(index)) {
                throw new BadLine("GPU " + index + " appears twice in one tick");
            }
            if (indexes != null && !indexes.contains(index)) {
                throw new BadLine("GPU " + index + " is not one of the header's GPUs " + new TreeSet<>(indexes));
            }
            double[] values = new double[Metric.all().length];
            MetricStatus[] status = new MetricStatus[Metric.all().length];
            for (Metric metric : Metric.all()) {
                JsonNode value = gpu.path("v").get(metric.key());
                if (value != null && value.isNumber()) {
                    double v = value.asDouble();
                    String rule = PlausibleRange.problem(metric, v);
                    if (rule != null) {
                        throw new BadLine("GPU " + index + " " + metric.key() + " = "
                                + (Double.isFinite(v) ? value.toString() : Double.toString(v)) + ": " + rule);
                    }
                    values[metric.ordinal()] = v;
                    status[metric.ordinal()] = MetricStatus.OK;
                } else {
                    values[metric.ordinal()] = Double.NaN;
                    JsonNode why = gpu.path("s").get(metric.key());
                    status[metric.ordinal()] = why == null ? MetricStatus.ERROR
                            : status(why, "GPU " + index + " s." + metric.key());
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
            readings.add(new GpuReading(index, status(gpu.path("state"), "GPU " + index + " state"),
                    values, status, gpu.path("throttle").asLong(), processes));
        }
        return new Snapshot(tick.get("t").asLong(), source, simulated, readings);
    }

    private static MetricStatus status(JsonNode node, String field) throws BadLine {
        for (MetricStatus status : MetricStatus.values()) {
            if (status.name().equals(node.asText())) {
                return status;
            }
        }
        throw new BadLine(field + " = " + node + ": must be one of " + java.util.Arrays.toString(MetricStatus.values()));
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
