package dev.headroom.telemetry;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The user's alert rules, kept beside the settings ({@code ~/.headroom/alert-rules.json}) and written
 * atomically. No file means the defaults; a file that cannot be read gives the defaults and says why.
 */
public final class AlertRulesStore {
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    private String lastProblem;

    public AlertRulesStore(Path file) {
        this.file = file;
    }

    /** Beside a settings file: the same folder, so one system property moves both. */
    public static AlertRulesStore besideSettings(Path settingsFile) {
        Path folder = settingsFile.toAbsolutePath().getParent();
        return new AlertRulesStore(folder.resolve("alert-rules.json"));
    }

    public List<AlertRule> load() {
        if (!Files.isRegularFile(file)) {
            return AlertRule.defaults();
        }
        try {
            return MAPPER.readValue(file.toFile(), new TypeReference<List<AlertRule>>() { });
        } catch (IOException e) {
            lastProblem = file + " could not be read (" + e.getMessage() + "); the default rules are used";
            return AlertRule.defaults();
        }
    }

    public void save(List<AlertRule> rules) throws IOException {
        AtomicFiles.writeString(file, MAPPER.writeValueAsString(rules), AtomicFiles.Folder.CREATE);
    }

    public String lastProblem() {
        return lastProblem;
    }
}
