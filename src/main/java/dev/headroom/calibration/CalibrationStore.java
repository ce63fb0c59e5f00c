package dev.headroom.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.common.AtomicFiles;
import dev.headroom.common.Format;
import dev.headroom.common.IoErrors;
import dev.headroom.sizing.Calibration;
import dev.headroom.sizing.Labeled;
import dev.headroom.sizing.RuntimeProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Named calibration profiles, one JSON file each in {@code ~/.headroom/calibrations} (the system property
 * {@code headroom.calibrations} names another folder), written atomically: the fitted values, the GPU and runtime
 * they hold for, when they were fitted, and each point before and after.
 */
public final class CalibrationStore {
    public static final String DIR_PROPERTY = "headroom.calibrations";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public CalibrationStore(Path dir) {
        this.dir = dir;
    }

    public static CalibrationStore standard() {
        String property = System.getProperty(DIR_PROPERTY);
        return new CalibrationStore(property != null && !property.isBlank() ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".headroom", "calibrations"));
    }

    public Path dir() {
        return dir;
    }

    /** Checks a profile name: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit. */
    public static void checkName(String name) {
        checkName("name", name);
    }

    /** The same, the message naming the flag or field that gave the name. */
    public static void checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " = " + (name == null ? "(none)" : "'" + Format.echo(name)
                    + "'") + ": letters, digits, '.', '_' and '-', 1 to 64 of them, starting with a letter or digit");
        }
    }

    public Path file(String name) {
        checkName(name);
        return dir.resolve(name + ".json");
    }

    /** The profile as saved (and as {@code calibrate --json} prints it): name, gpu, runtime, fitted, points. */
    public static ObjectNode document(Calibrator.Result result, Path profile) {
        Calibration c = result.calibration();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", c.name());
        root.put("gpu", c.gpu());
        root.put("runtime", c.runtime() == null ? null : c.runtime().label());
        root.put("fittedAt", Instant.now().toString());
        ObjectNode fitted = root.putObject("fitted");
        for (Calibrator.Fitted f : result.fitted()) {
            ObjectNode node = fitted.putObject(f.name());
            node.put("value", f.value());
            node.put("fitted", f.fitted());
            node.put("note", f.note());
        }
        root.set("points", MAPPER.valueToTree(result.points()));
        root.put("profile", profile == null ? null : profile.toString());
        return root;
    }

    public Path save(Calibrator.Result result) throws IOException {
        Path file = file(result.calibration().name());
        Files.createDirectories(dir);
        AtomicFiles.writeString(file, MAPPER.writeValueAsString(document(result, file)) + "\n");
        return file;
    }

    public Calibration load(String name) throws IOException {
        checkName("calibration", name);
        Path file = file(name);
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IOException("calibration = '" + name + "': no such profile in " + dir
                    + " ('headroom calibrate --list' lists them)");
        } catch (IOException e) {
            throw new IOException(file + ": " + IoErrors.reason(e));
        }
        JsonNode f = root.path("fitted");
        String runtime = root.path("runtime").isTextual() ? root.path("runtime").asText() : null;
        if (!root.path("gpu").isTextual()) {
            throw new IOException(file + ", field gpu: missing");
        }
        Double overhead = value(f, "overheadBytes");
        return new Calibration(name, root.path("gpu").asText(),
                runtime == null ? null : Labeled.parse(RuntimeProfile.class, "runtime", runtime),
                value(f, "prefillEfficiency"), value(f, "bandwidthEfficiency"),
                overhead == null ? null : Long.valueOf(Math.round(overhead)), value(f, "fragmentation"));
    }

    private static Double value(JsonNode fitted, String name) {
        JsonNode n = fitted.path(name);
        return n.path("fitted").asBoolean(false) && n.path("value").isNumber() ? n.path("value").asDouble() : null;
    }

    public List<String> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - ".json".length())).filter(n -> NAME.matcher(n).matches())
                    .sorted().forEach(names::add);
        }
        return names;
    }

    /** @return whether there was such a profile */
    public boolean remove(String name) throws IOException {
        return Files.deleteIfExists(file(name));
    }
}
