package dev.headroom.catalog;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.headroom.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Writes entries into the user's catalog folder, atomically, keeping what the file already holds. */
public final class UserCatalog {
    private static final ObjectMapper WRITER = CatalogLoader.MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;

    public UserCatalog(Path folder) {
        this.folder = folder;
    }

    /** Adds the model, replacing a user entry with the same id. @return the file written */
    public Path addModel(Model model) throws IOException {
        Path file = folder.resolve(CatalogKind.MODELS.fileName());
        List<Model> entries = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            CatalogFile<Model> existing = CatalogLoader.read(CatalogKind.MODELS, Model.class, file.toString(),
                    Files.newInputStream(file));
            existing.entries().stream().filter(m -> !m.id().equals(model.id())).forEach(entries::add);
        }
        entries.add(model);
        CatalogFile<Model> content = new CatalogFile<>(1, LocalDate.now().toString(), entries);
        AtomicFiles.writeString(file, WRITER.writeValueAsString(content));
        return file;
    }

    public static Model withId(Model model, String id) {
        Model renamed = new Model(id, model.name(), model.family(), model.huggingFaceId(), model.architecture(),
                model.publishedParameters(), model.parameterNote(), model.sources());
        List<Problem> problems = CatalogValidator.validate("--id", renamed);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return renamed;
    }
}
