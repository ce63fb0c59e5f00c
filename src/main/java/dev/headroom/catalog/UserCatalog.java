package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Writes entries into the user's catalog folder, atomically, keeping what the file already holds. */
public final class UserCatalog {
    private static final ObjectMapper WRITER = CatalogLoader.mapper().copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;

    public UserCatalog(Path folder) {
        this.folder = folder;
    }

    /**
     * Adds the model, replacing a user entry with the same id. The other entries are kept as they are in the
     * file, even one this version cannot read (it is skipped with a warning when loading, never deleted here).
     * @return the file written
     */
    public Path addModel(Model model) throws IOException {
        Path file = folder.resolve(CatalogKind.MODELS.fileName());
        ArrayNode entries = WRITER.createArrayNode();
        if (Files.isRegularFile(file)) {
            CatalogLoader.readUser(Model.class, file.toString(), Files.newInputStream(file), new ArrayList<>());
            for (JsonNode entry : WRITER.readTree(file.toFile()).path("entries")) {
                if (!model.id().equals(entry.path("id").asText(null))) {
                    entries.add(entry);
                }
            }
        }
        entries.add(WRITER.valueToTree(model));
        ObjectNode content = WRITER.createObjectNode();
        content.put("schemaVersion", 1);
        content.put("updated", LocalDate.now().toString());
        content.set("entries", entries);
        AtomicFiles.writeString(file, WRITER.writeValueAsString(content), AtomicFiles.Folder.CREATE);
        return file;
    }

    public static Model withId(Model model, String id) {
        Model renamed = new Model(id, model.name(), model.family(), model.huggingFaceId(), model.architecture(),
                model.publishedParameters(), model.publishedActiveParameters(), model.parameterNote(), model.nativeFormat(),
                model.sources());
        List<Problem> problems = CatalogValidator.validate("--id", renamed);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return renamed;
    }
}
