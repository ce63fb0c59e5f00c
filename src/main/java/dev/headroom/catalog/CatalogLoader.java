package dev.headroom.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads the built-in catalogs from the jar, then the user's catalog folder on top. A problem in a built-in file
 * is a defect of this build and fails loudly; a problem in a user file is a warning and the rest still loads.
 */
public final class CatalogLoader {
    /** System property naming the user catalog folder; defaults to {@code ~/.headroom/catalogs}. */
    public static final String USER_DIR_PROPERTY = "headroom.catalogs";
    static final String BUILT_IN = "built-in";

    /** Built only when a JSON file is read: data binding is most of a cold command's start-up. */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    private final Path userDir;

    /** @param userDir the user's catalog folder, or null for built-in catalogs only */
    public CatalogLoader(Path userDir) {
        this.userDir = userDir;
    }

    /** The loader the app and the CLI use: built-in plus the user folder from the property or the home folder. */
    public static CatalogLoader standard() {
        return new CatalogLoader(defaultUserDir());
    }

    public static Path defaultUserDir() {
        String property = System.getProperty(USER_DIR_PROPERTY);
        return property != null && !property.isBlank()
                ? Path.of(property)
                : Path.of(System.getProperty("user.home"), ".headroom", "catalogs");
    }

    public Path userDir() {
        return userDir;
    }

    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
    }

    public Catalog load() {
        // The built-in files from the snapshot where it was made from these JSON files, else from the files.
        Map<CatalogKind, CatalogSnapshot.BuiltIn> snapshot = CatalogSnapshot.read();
        Map<CatalogKind, CatalogSnapshot.BuiltIn> builtIns = snapshot != null ? snapshot : new EnumMap<>(CatalogKind.class);
        List<String> warnings = new ArrayList<>();
        List<Catalog.FileInfo> files = new ArrayList<>();
        Set<String> userIds = new HashSet<>();
        Map<String, HostPlatform> hosts = merged(CatalogKind.HOSTS, HostPlatform.class, builtIns, files, warnings, new HashSet<>());
        Map<String, Network> networks = merged(CatalogKind.NETWORKS, Network.class, builtIns, files, warnings, new HashSet<>());
        Map<String, Gpu> gpus = merged(CatalogKind.GPUS, Gpu.class, builtIns, files, warnings, userIds);
        dropGpusWithUnknownPlatforms(gpus, hosts.keySet(), networks.keySet(), userIds, warnings);
        Map<String, Model> models = merged(CatalogKind.MODELS, Model.class, builtIns, files, warnings, userIds);
        Set<String> userOfferIds = new HashSet<>();
        Map<String, CloudOffer> offers = merged(CatalogKind.OFFERS, CloudOffer.class, builtIns, files, warnings, userOfferIds);
        dropOffersForUnknownGpus(offers, gpus.keySet(), userOfferIds, warnings);
        return new Catalog(gpus, models, offers, hosts, networks, files, warnings);
    }

    private <T extends CatalogEntry> Map<String, T> merged(CatalogKind kind, Class<T> type,
                                                           Map<CatalogKind, CatalogSnapshot.BuiltIn> builtIns,
                                                           List<Catalog.FileInfo> files, List<String> warnings,
                                                           Set<String> userIds) {
        CatalogSnapshot.BuiltIn builtIn = builtIns.computeIfAbsent(kind, CatalogLoader::readBuiltInJson);
        Map<String, T> entries = new LinkedHashMap<>();
        for (CatalogEntry entry : builtIn.entries()) {
            entries.put(entry.id(), type.cast(entry));
        }
        files.add(new Catalog.FileInfo(kind, BUILT_IN, builtIn.updated(), entries.size()));

        if (userDir == null) {
            return entries;
        }
        Path userFile = userDir.resolve(kind.fileName());
        if (!Files.exists(userFile, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        if (!Files.isRegularFile(userFile)) {
            warnings.add(userFile + ": " + notAFile(userFile) + " (skipped; built-in catalog used)");
            return entries;
        }
        try {
            List<Problem> userProblems = new ArrayList<>();
            CatalogFile<T> user = readUser(type, userFile.toString(), Files.newInputStream(userFile), userProblems);
            Map<String, T> userEntries = index(kind, userFile.toString(), user, userProblems);
            userProblems.forEach(p -> warnings.add(p.message() + " (entry skipped)"));
            entries.putAll(userEntries);
            userIds.addAll(userEntries.keySet());
            files.add(new Catalog.FileInfo(kind, userFile.toString(), user.updated(), userEntries.size()));
        } catch (CatalogException e) {
            e.problems().forEach(p -> warnings.add(p.message() + " (file skipped; built-in catalog used)"));
        } catch (IOException e) {
            warnings.add(userFile + ": cannot be read: " + e.getMessage() + " (file skipped; built-in catalog used)");
        }
        return entries;
    }

    /** Valid entries by id, in file order; invalid and duplicate entries become problems. */
    private static <T extends CatalogEntry> Map<String, T> index(CatalogKind kind, String file, CatalogFile<T> content,
                                                                 List<Problem> problems) {
        Map<String, T> entries = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (T entry : content.entries()) {
            List<Problem> entryProblems = kind.validate(file, entry);
            if (entry.id() != null && !seen.add(entry.id())) {
                entryProblems = new ArrayList<>(entryProblems);
                entryProblems.add(new Problem(file, entry.id(), "id", entry.id(), "is used by an earlier entry; ids must be unique"));
            }
            if (entryProblems.isEmpty()) {
                entries.put(entry.id(), entry);
            } else {
                problems.addAll(entryProblems);
            }
        }
        return entries;
    }

    /** A built-in file read from its JSON and validated; a problem in it is a defect of this build. */
    static CatalogSnapshot.BuiltIn readBuiltInJson(CatalogKind kind) {
        String resource = "/catalogs/" + kind.fileName();
        InputStream in = CatalogLoader.class.getResourceAsStream(resource);
        if (in == null) {
            throw new CatalogException(List.of(new Problem(resource, null, null, null, "is missing from the build")));
        }
        try {
            CatalogFile<CatalogEntry> content = read(kind, CatalogEntry.class, kind.fileName(), in);
            List<Problem> problems = new ArrayList<>();
            Map<String, CatalogEntry> entries = index(kind, kind.fileName(), content, problems);
            if (!problems.isEmpty()) {
                throw new CatalogException(problems);
            }
            return new CatalogSnapshot.BuiltIn(content.updated(), List.copyOf(entries.values()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a catalog file; a parse failure names the file, the line, the column and the field path. */
    @SuppressWarnings("unchecked")
    static <T extends CatalogEntry> CatalogFile<T> read(CatalogKind kind, Class<T> type, String file, InputStream in)
            throws IOException {
        try (in) {
            CatalogFile<T> content = (CatalogFile<T>) mapper().readValue(in, kind.type());
            if (content == null) {
                throw new CatalogException(List.of(new Problem(file, null, null, null, "is empty")));
            }
            if (content.schemaVersion() == null || content.schemaVersion() != 1) {
                throw new CatalogException(List.of(new Problem(file, null, "schemaVersion", content.schemaVersion(),
                        "must be 1 (the only schema this version reads)")));
            }
            return content;
        } catch (JsonProcessingException e) {
            throw new CatalogException(List.of(parseProblem(file, e)));
        }
    }

    /** Why a path where a catalog file belongs is not one: a folder, a dangling link, a loop of links. */
    private static String notAFile(Path path) {
        if (Files.isDirectory(path)) {
            return "is a folder, not a catalog file";
        }
        if (Files.isSymbolicLink(path)) {
            try {
                path.toRealPath();
                return "is a link to something that is not a catalog file";
            } catch (java.nio.file.FileSystemException e) {
                return e.getReason() != null && e.getReason().contains("many levels")
                        ? "is a symbolic link loop, not a catalog file"
                        : "is a symbolic link to nothing (" + e.getMessage() + ")";
            } catch (IOException e) {
                return "is a symbolic link that cannot be followed (" + e.getMessage() + ")";
            }
        }
        return "is not a regular file";
    }

    /**
     * Parses a user catalog file entry by entry, so one entry that does not read (a wrong type, an unknown field)
     * is skipped with a problem naming the file, its line, its id and its field, and the others still load. A file
     * that is not JSON, or whose envelope is wrong, fails whole as {@link #read} does.
     */
    static <T extends CatalogEntry> CatalogFile<T> readUser(Class<T> type, String file, InputStream in,
                                                            List<Problem> skipped) throws IOException {
        try (in; JsonParser parser = mapper().createParser(in)) {
            if (parser.nextToken() == null) {
                throw new CatalogException(List.of(new Problem(file, null, null, null, "is empty")));
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new CatalogException(List.of(new Problem(file, null, null, null,
                        "is not a catalog: it must be a JSON object with schemaVersion, updated and entries")));
            }
            Integer schemaVersion = null;
            String updated = null;
            List<T> entries = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "schemaVersion" -> schemaVersion = mapper().readValue(parser, Integer.class);
                    case "updated" -> updated = mapper().readValue(parser, String.class);
                    case "entries" -> readEntries(type, file, parser, entries, skipped);
                    default -> throw new CatalogException(List.of(new Problem(file + " line "
                            + parser.currentLocation().getLineNr(), null, field, null,
                            "is not a catalog field (schemaVersion, updated, entries)")));
                }
            }
            if (schemaVersion == null || schemaVersion != 1) {
                throw new CatalogException(List.of(new Problem(file, null, "schemaVersion", schemaVersion,
                        "must be 1 (the only schema this version reads)")));
            }
            return new CatalogFile<>(schemaVersion, updated, entries);
        } catch (JsonProcessingException e) {
            throw new CatalogException(List.of(parseProblem(file, e)));
        }
    }

    private static <T extends CatalogEntry> void readEntries(Class<T> type, String file, JsonParser parser,
                                                             List<T> entries, List<Problem> skipped) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new CatalogException(List.of(new Problem(file + " line " + parser.currentLocation().getLineNr(),
                    null, "entries", null, "must be a list of entries")));
        }
        for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
            int line = parser.currentLocation().getLineNr();
            JsonNode node = mapper().readTree(parser);
            try {
                entries.add(mapper().treeToValue(node, type));
            } catch (JsonMappingException e) {
                String id = node.path("id").isTextual() ? node.get("id").asText() : "entries[" + index + "]";
                String path = e.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                        .collect(Collectors.joining());
                String detail = dev.headroom.common.JsonErrors.readable(e.getOriginalMessage());
                skipped.add(new Problem(file + " line " + line, id, null, null,
                        "field entries[" + index + "]" + path + " cannot be read: " + detail));
            }
        }
    }

    private static Problem parseProblem(String file, JsonProcessingException e) {
        String where = e.getLocation() == null ? file
                : file + " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        String path = e instanceof JsonMappingException mapping ? mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining()) : "";
        if (path.startsWith(".")) {
            path = path.substring(1);
        }
        String detail = dev.headroom.common.JsonErrors.readable(e.getOriginalMessage());
        String rule = path.isEmpty() ? "is not valid JSON: " + detail : "field " + path + " cannot be read: " + detail;
        return new Problem(where, null, null, null, rule);
    }

    /** A GPU's node names its default host platform and network; one naming neither file's entry cannot be sized. */
    private static void dropGpusWithUnknownPlatforms(Map<String, Gpu> gpus, Set<String> hostIds, Set<String> networkIds,
                                                     Set<String> userGpuIds, List<String> warnings) {
        List<Problem> builtInProblems = new ArrayList<>();
        gpus.values().removeIf(gpu -> {
            Gpu.Node node = gpu.node();
            Problem problem = null;
            if (node.host() != null && !hostIds.contains(node.host())) {
                problem = new Problem(CatalogKind.GPUS.fileName(), gpu.id(), "node.host", node.host(),
                        "names no host platform in " + CatalogKind.HOSTS.fileName());
            } else if (!networkIds.contains(node.network())) {
                problem = new Problem(CatalogKind.GPUS.fileName(), gpu.id(), "node.network", node.network(),
                        "names no network in " + CatalogKind.NETWORKS.fileName());
            }
            if (problem == null) {
                return false;
            }
            if (userGpuIds.contains(gpu.id())) {
                warnings.add(problem.message() + " (entry skipped)");
            } else {
                builtInProblems.add(problem);
            }
            return true;
        });
        if (!builtInProblems.isEmpty()) {
            throw new CatalogException(builtInProblems);
        }
    }

    /** Users cannot remove GPUs, so a built-in offer naming an unknown GPU is a defect of the build. */
    private static void dropOffersForUnknownGpus(Map<String, CloudOffer> offers, Set<String> gpuIds,
                                                 Set<String> userOfferIds, List<String> warnings) {
        List<Problem> builtInProblems = new ArrayList<>();
        offers.values().removeIf(offer -> {
            if (gpuIds.contains(offer.gpuId())) {
                return false;
            }
            Problem problem = new Problem(CatalogKind.OFFERS.fileName(), offer.id(), "gpuId", offer.gpuId(),
                    "names no GPU in the catalogs");
            if (!userOfferIds.contains(offer.id())) {
                builtInProblems.add(problem);
            } else {
                warnings.add(problem.message() + " (entry skipped)");
            }
            return true;
        });
        if (!builtInProblems.isEmpty()) {
            throw new CatalogException(builtInProblems);
        }
    }
}
