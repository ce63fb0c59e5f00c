package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoaderTest {
    @TempDir
    Path userDir;

    private static final String SOURCE = """
            "sources": [{"covers": ["memory", "compute", "power", "interconnect", "price"],
                         "title": "test datasheet", "url": "https://example.com", "date": "2026-01-01"}]""";

    private static String gpu(String id, String name, String priceUsd) {
        return """
                {"id": "%s", "name": "%s", "vendor": "NVIDIA", "gpuClass": "data-center",
                 "memory": {"bytes": 85899345920, "type": "HBM3", "bandwidthBytesPerSecond": 3.35e12},
                 "denseTflops": {"fp32": 66.9, "bf16": 989.4},
                 "power": {"tdpWatts": 700},
                 "interconnect": {"pcieGeneration": 5},
                 "price": {"usd": %s, "date": "2026-06-01", "basis": "quote"},
                 %s}""".formatted(id, name, priceUsd, SOURCE);
    }

    private void write(String file, String entries) throws IOException {
        Files.writeString(userDir.resolve(file),
                "{\"schemaVersion\": 1, \"updated\": \"2026-11-01\", \"entries\": [" + entries + "]}");
    }

    @Test
    void userEntriesAddToAndOverrideTheBuiltInOnes() throws IOException {
        write("gpus.json", gpu("h100-sxm", "Our negotiated H100", "25000") + "," + gpu("lab-card", "Lab card", "1000"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.warnings()).isEmpty();
        assertThat(catalog.requireGpu("h100-sxm").name()).isEqualTo("Our negotiated H100");
        assertThat(catalog.requireGpu("h100-sxm").price().usd()).isEqualTo(25000.0);
        assertThat(catalog.requireGpu("lab-card").name()).isEqualTo("Lab card");
        assertThat(catalog.gpus()).containsKey("rtx-4090");
        assertThat(catalog.files()).extracting(Catalog.FileInfo::origin)
                .contains(CatalogLoader.BUILT_IN, userDir.resolve("gpus.json").toString());
    }

    @Test
    void aBrokenUserFileIsAWarningNamingFileAndLineAndTheBuiltInCatalogStillLoads() throws IOException {
        Files.writeString(userDir.resolve("gpus.json"), "{\"schemaVersion\": 1,\n \"entries\": [\n {\"id\": \"x\",,}]}");

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.gpus()).containsKey("h100-sxm");
        assertThat(catalog.warnings()).singleElement().asString()
                .contains(userDir.resolve("gpus.json").toString())
                .contains("line 3")
                .contains("file skipped; built-in catalog used");
    }

    @Test
    void aWrongTypeNamesTheFieldPath() throws IOException {
        write("gpus.json", gpu("lab-card", "Lab card", "\"cheap\""));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.warnings()).singleElement().asString()
                .contains("field entries[0].price.usd cannot be read");
    }

    @Test
    void anUnknownFieldIsRejectedSoTyposDoNotPassSilently() throws IOException {
        write("gpus.json", gpu("lab-card", "Lab card", "1000").replace("\"tdpWatts\"", "\"tdpWats\": 1, \"tdpWatts\""));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.warnings()).singleElement().asString().contains("tdpWats");
    }

    @Test
    void anInvalidUserEntryIsSkippedAndTheOthersLoad() throws IOException {
        write("gpus.json", gpu("lab-card", "Lab card", "1000") + "," + gpu("Bad Id!", "Bad", "1000"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.gpus()).containsKey("lab-card");
        assertThat(catalog.warnings()).singleElement().asString()
                .contains("entry \"Bad Id!\"").contains("field id = Bad Id!").contains("(entry skipped)");
    }

    @Test
    void duplicateIdsInOneFileAreRejected() throws IOException {
        write("gpus.json", gpu("lab-card", "Lab card", "1000") + "," + gpu("lab-card", "Lab card again", "900"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.requireGpu("lab-card").name()).isEqualTo("Lab card");
        assertThat(catalog.warnings()).singleElement().asString().contains("ids must be unique");
    }

    @Test
    void aUserOfferForAnUnknownGpuIsSkipped() throws IOException {
        write("cloud-offers.json", """
                {"id": "my-cloud-x", "provider": "MyCloud", "instanceType": "x1", "gpuId": "no-such-gpu",
                 "gpusPerInstance": 1, "instanceHourUsd": 1.0, "gpuHourUsd": 1.0, "pricing": "on-demand",
                 "region": "eu", "date": "2026-10-01",
                 "sources": [{"covers": ["price"], "title": "price page", "date": "2026-10-01"}]}""");

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.offers()).doesNotContainKey("my-cloud-x");
        assertThat(catalog.warnings()).singleElement().asString()
                .contains("field gpuId = no-such-gpu: names no GPU in the catalogs");
    }

    @Test
    void theUserFolderComesFromTheSystemPropertyWhenSet() {
        String before = System.getProperty(CatalogLoader.USER_DIR_PROPERTY);
        try {
            System.setProperty(CatalogLoader.USER_DIR_PROPERTY, userDir.toString());
            assertThat(CatalogLoader.standard().userDir()).isEqualTo(userDir);
        } finally {
            if (before == null) {
                System.clearProperty(CatalogLoader.USER_DIR_PROPERTY);
            } else {
                System.setProperty(CatalogLoader.USER_DIR_PROPERTY, before);
            }
        }
    }

    // Issue 13, item 18: one wrong-typed field skips only its entry; a folder or a link loop is a warning.

    @Test
    void aWrongTypedFieldSkipsOnlyItsEntryNamingFileLineIdAndField() throws IOException {
        write("gpus.json", gpu("lab-card", "Lab card", "1000") + ",\n" + gpu("cheap-card", "Cheap", "\"cheap\"")
                + ",\n" + gpu("other-card", "Other", "900"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.gpus()).containsKeys("lab-card", "other-card").doesNotContainKey("cheap-card");
        assertThat(catalog.warnings()).singleElement().asString()
                .startsWith(userDir.resolve("gpus.json") + " line 9: entry \"cheap-card\": field entries[1].price.usd "
                        + "cannot be read")
                .endsWith("(entry skipped)");
    }

    @Test
    void aFolderWhereACatalogFileBelongsIsAWarning() throws IOException {
        Files.createDirectory(userDir.resolve("gpus.json"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.gpus()).containsKey("h100-sxm");
        assertThat(catalog.warnings()).singleElement().asString()
                .isEqualTo(userDir.resolve("gpus.json") + ": is a folder, not a catalog file (skipped; built-in "
                        + "catalog used)");
    }

    @Test
    void aLoopOfLinksWhereACatalogFileBelongsIsAWarning() throws IOException {
        Files.createSymbolicLink(userDir.resolve("models.json"), Path.of("loop.json"));
        Files.createSymbolicLink(userDir.resolve("loop.json"), Path.of("models.json"));

        Catalog catalog = new CatalogLoader(userDir).load();

        assertThat(catalog.models()).isNotEmpty();
        assertThat(catalog.warnings()).singleElement().asString()
                .contains(userDir.resolve("models.json") + ": is a symbolic link loop, not a catalog file");
    }

    @Test
    void addingAModelKeepsAnEntryThisVersionCannotRead() throws IOException {
        Model builtIn = new CatalogLoader(null).load().models().values().iterator().next();
        Model mine = UserCatalog.withId(builtIn, "my-model");
        String unreadable = "{\"id\": \"future-model\", \"name\": 42, \"newField\": true}";
        Files.writeString(userDir.resolve("models.json"),
                "{\"schemaVersion\": 1, \"updated\": \"2026-11-01\", \"entries\": [" + unreadable + "]}");

        new UserCatalog(userDir).addModel(mine);

        String written = Files.readString(userDir.resolve("models.json"));
        assertThat(written).contains("\"future-model\"").contains("\"newField\"").contains("\"my-model\"");
        Catalog catalog = new CatalogLoader(userDir).load();
        assertThat(catalog.models()).containsKey("my-model");
        assertThat(catalog.warnings()).singleElement().asString().contains("entry \"future-model\"");
    }
}
