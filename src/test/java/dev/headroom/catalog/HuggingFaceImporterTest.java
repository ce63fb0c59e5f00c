package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HuggingFaceImporterTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    @TempDir
    Path folder;

    /** Catalog ids whose published config.json is read from ../shared/fixtures, by its file name there. */
    private static final java.util.Map<String, String> SHARED = java.util.Map.of("mistral-7b", "mistral-7b-v0.1",
            "mixtral-8x7b", "mixtral-8x7b-v0.1", "qwen2.5-7b", "qwen2.5-7b", "deepseek-v3", "deepseek-v3");

    static Path fixture(String name) {
        if (SHARED.containsKey(name)) {
            return dev.headroom.SharedFixtures.hfConfig(SHARED.get(name));
        }
        try {
            return Path.of(HuggingFaceImporterTest.class.getResource("/hf/" + name + ".json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each fixture is the model's published config.json; importing it must give the catalog's architecture. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"llama-3.1-8b", "mistral-7b", "mixtral-8x7b", "qwen2.5-7b", "gemma-2-9b", "phi-3-mini", "deepseek-v3"})
    void importedConfigsGiveTheSameParameterCountAsTheCatalog(String id) {
        Model imported = HuggingFaceImporter.importFile(fixture(id));
        Model catalogued = CATALOG.requireModel(id);

        assertThat(imported.derivedParameters()).isEqualTo(catalogued.derivedParameters());
        ModelArchitecture a = imported.architecture();
        ModelArchitecture b = catalogued.architecture();
        assertThat(a.kvHeads()).isEqualTo(b.kvHeads());
        assertThat(a.headDim()).isEqualTo(b.headDim());
        assertThat(a.maxContextTokens()).isEqualTo(b.maxContextTokens());
        assertThat(a.layerPattern()).isEqualTo(b.layerPattern());
        assertThat(a.moe()).isEqualTo(b.moe());
        assertThat(a.mla()).isEqualTo(b.mla());
    }

    @Test
    void llamaImportReadsGroupedQueryAttention() {
        Model model = HuggingFaceImporter.importFile(fixture("llama-3.1-8b"));

        assertThat(model.architecture().attentionHeads()).isEqualTo(32);
        assertThat(model.architecture().kvHeads()).isEqualTo(8);
        assertThat(model.derivedParameters()).isEqualTo(8_030_261_248L);
        assertThat(model.sources()).singleElement().satisfies(s -> assertThat(s.covers()).containsExactly("architecture"));
    }

    @Test
    void anUnknownModelTypeListsWhatIsSupported() throws IOException {
        Path config = folder.resolve("config.json");
        Files.writeString(config, "{\"model_type\": \"gpt2\", \"n_layer\": 12}");

        assertThatThrownBy(() -> HuggingFaceImporter.importFile(config))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("field model_type = gpt2: is not supported")
                .hasMessageContaining("llama, mistral, mixtral, qwen2, gemma2, phi3, deepseek_v3");
    }

    @Test
    void everyMissingFieldIsNamedAtOnce() throws IOException {
        Path config = folder.resolve("config.json");
        Files.writeString(config, "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32}");

        assertThatThrownBy(() -> HuggingFaceImporter.importFile(config))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("field num_hidden_layers = (missing): is required for model_type llama")
                .hasMessageContaining("field intermediate_size = (missing)")
                .hasMessageContaining("field vocab_size = (missing)")
                .hasMessageContaining("field max_position_embeddings = (missing)");
    }

    @Test
    void aFileThatIsNotJsonSaysSo() throws IOException {
        Path config = folder.resolve("config.json");
        Files.writeString(config, "model_type: llama");

        assertThatThrownBy(() -> HuggingFaceImporter.importFile(config))
                .isInstanceOf(CatalogException.class).hasMessageContaining("is not valid JSON");
    }

    @Test
    void theIdComesFromTheFolderWhenTheFileIsCalledConfig() throws IOException {
        Path modelFolder = Files.createDirectories(folder.resolve("My-Model-7B"));
        Path config = modelFolder.resolve("config.json");
        Files.copy(fixture("mistral-7b"), config);
        String text = Files.readString(config).replaceAll("\"_name_or_path\"\\s*:\\s*\"[^\"]*\",?", "");
        Files.writeString(config, text);

        assertThat(HuggingFaceImporter.importFile(config).id()).isEqualTo("my-model-7b");
    }
}
