package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot of the built-in catalogs holds exactly what the JSON files do, and a stale one is never used. */
class CatalogSnapshotTest {
    @Test
    void theSnapshotReadsBackAsTheValidatedJsonFiles() throws Exception {
        Map<CatalogKind, CatalogSnapshot.BuiltIn> read = CatalogSnapshot.read(
                new ByteArrayInputStream(snapshot()), CatalogSnapshot.checksumOfJsonFiles());

        assertThat(read).isNotNull().hasSize(CatalogKind.values().length);
        for (CatalogKind kind : CatalogKind.values()) {
            CatalogSnapshot.BuiltIn json = CatalogLoader.readBuiltInJson(kind);
            assertThat(read.get(kind).updated()).isEqualTo(json.updated());
            assertThat(read.get(kind).entries()).as(kind.fileName()).isEqualTo(json.entries()).isNotEmpty();
        }
    }

    @Test
    void theBuildCarriesASnapshotOfTheseFilesAndTheLoaderUsesIt() {
        assertThat(CatalogSnapshot.read()).as("target/classes" + CatalogSnapshot.RESOURCE
                + " (written at process-classes)").isNotNull();
        Catalog loaded = new CatalogLoader(null).load();
        assertThat(loaded.gpus().values()).containsExactlyElementsOf(
                CatalogLoader.readBuiltInJson(CatalogKind.GPUS).entries().stream().map(Gpu.class::cast).toList());
    }

    @Test
    void aSnapshotOfOtherFilesOrACutOneIsIgnored() throws Exception {
        byte[] bytes = snapshot();

        assertThat(CatalogSnapshot.read(new ByteArrayInputStream(bytes), CatalogSnapshot.checksumOfJsonFiles() + 1))
                .isNull();
        assertThat(CatalogSnapshot.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length / 2)),
                CatalogSnapshot.checksumOfJsonFiles())).isNull();
    }

    private static byte[] snapshot() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CatalogSnapshot.write(out);
        return out.toByteArray();
    }
}
