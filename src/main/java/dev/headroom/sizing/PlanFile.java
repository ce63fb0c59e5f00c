package dev.headroom.sizing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.headroom.common.AtomicFiles;
import dev.headroom.common.IoErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * A saved plan ({@code .headroom-plan}): the scenario as JSON, written atomically. The same file serves the app
 * (File > Save) and the command line ({@code headroom size --save / --scenario}).
 */
public final class PlanFile {
    public static final String EXTENSION = ".headroom-plan";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private PlanFile() {
    }

    public static void write(Path file, Scenario scenario) throws IOException {
        AtomicFiles.writeString(file, MAPPER.writeValueAsString(scenario));
    }

    /** Reads a plan; a file that does not parse names the file, the line and the field. */
    public static Scenario read(Path file) throws IOException {
        try {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new IOException(file + ": " + IoErrors.reason(e), e);
            }
            Scenario scenario = MAPPER.readValue(text, Scenario.class);
            if (scenario == null) {
                throw new IOException(file + ": is empty");
            }
            return scenario;
        } catch (JsonProcessingException e) {
            String line = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            String path = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")) : "";
            throw new IOException(file + line + (path.isEmpty() ? "" : ", field " + path) + ": "
                    + dev.headroom.common.JsonErrors.readable(e.getOriginalMessage()), e);
        }
    }

    public static String toJson(Scenario scenario) {
        try {
            return MAPPER.writeValueAsString(scenario);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
