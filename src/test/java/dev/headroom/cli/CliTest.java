package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();


    /** Exit code, standard output and standard error of one run. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** The top-level help lists the commands from their names and first lines only: the same text as with all. */
    @Test
    void topLevelHelpIsTheHelpOfTheWholeCommandTree() {
        for (String flag : new String[] {"--help", "-h"}) {
            Run run = run(flag);
            assertThat(run.code()).isZero();
            assertThat(run.out()).isEqualTo(HeadroomCommand.withAllCommands().getUsageMessage())
                    .contains("Commands:", "  size ", "  accuracy ");
        }
    }

    @Test
    void versionNamesTheProduct() {
        Run run = run("--version");
        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith("headroom ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "catalog --help", "catalog list --help", "catalog show --help",
        "catalog import --help"})
    void everyCommandHasHelp(String args) {
        Run run = run(args.split(" "));
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("Usage: headroom");
    }

    @Test
    void listModelsAsJsonCarriesDerivedAndPublishedCounts() throws Exception {
        Run run = run("catalog", "list", "models", "--json");

        assertThat(run.code()).isZero();
        JsonNode models = run.json();
        assertThat(models.size()).isGreaterThanOrEqualTo(25);
        List<String> ids = new ArrayList<>();
        for (JsonNode model : models) {
            ids.add(model.get("id").asText());
            assertThat(model.get("derivedParameters").asLong()).isPositive();
            assertThat(model.get("publishedParameters").asLong()).isPositive();
        }
        assertThat(ids).contains("llama-3.1-70b", "deepseek-v3", "falcon-40b");
        JsonNode llama = models.get(ids.indexOf("llama-3.1-8b"));
        assertThat(llama.get("derivedParameters").asLong()).isEqualTo(8_030_261_248L);
        assertThat(llama.at("/architecture/kvHeads").asInt()).isEqualTo(8);
    }

    @Test
    void listGpusAsTableShowsUnits() {
        Run run = run("catalog", "list", "gpus");
        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("h100-sxm").contains("80.0 GiB").contains("3,350 GB/s");
    }

    @Test
    void listOffersAsJson() throws Exception {
        Run run = run("catalog", "list", "offers", "--json");
        assertThat(run.code()).isZero();
        assertThat(run.json().get(0).has("gpuHourUsd")).isTrue();
    }

    @Test
    void showFindsGpusModelsAndOffers() throws Exception {
        assertThat(run("catalog", "show", "rtx-4090").out()).contains("FP32-accumulate").contains("Sources:");
        assertThat(run("catalog", "show", "mixtral-8x7b").out()).contains("8 routed (2 active)");
        assertThat(run("catalog", "show", "h100-sxm", "--json").json().at("/memory/bytes").asLong())
                .isEqualTo(80L << 30);
    }

    @Test
    void badArgumentsExitWithTwoAndNameTheProblem() {
        Run unknownCatalog = run("catalog", "list", "tpus");
        assertThat(unknownCatalog.code()).isEqualTo(2);
        assertThat(unknownCatalog.err()).contains("tpus").contains("gpus, models, offers");

        Run unknownId = run("catalog", "show", "h900");
        assertThat(unknownId.code()).isEqualTo(2);
        assertThat(unknownId.err()).contains("'h900'");

        Run unknownOption = run("catalog", "list", "gpus", "--csv");
        assertThat(unknownOption.code()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("--csv");

        Run missingFile = run("catalog", "import", userCatalog.folder().resolve("nope.json").toString());
        assertThat(missingFile.code()).isEqualTo(2);
        assertThat(missingFile.err()).contains("nope.json").contains("not a readable file");
    }

    @Test
    void importPrintsACatalogEntryAndSaveAddsItToTheUserCatalog() throws Exception {
        Path config = dev.headroom.SharedFixtures.hfConfig("qwen2.5-7b");

        Run printed = run("catalog", "import", config.toString(), "--json", "--id", "my-qwen");
        assertThat(printed.code()).isZero();
        assertThat(printed.json().get("id").asText()).isEqualTo("my-qwen");
        assertThat(printed.json().get("derivedParameters").asLong()).isEqualTo(7_615_616_512L);

        Run saved = run("catalog", "import", config.toString(), "--id", "my-qwen", "--save");
        assertThat(saved.code()).isZero();
        assertThat(Files.readString(userCatalog.folder().resolve("models.json"))).contains("\"my-qwen\"");

        Run shown = run("catalog", "show", "my-qwen");
        assertThat(shown.code()).isZero();
        assertThat(shown.out()).contains("7.62 B derived");
    }

    @Test
    void importNamesTheDefaultsItAppliedOnStderrAndKeepsTheJsonValid() throws Exception {
        Path config = userCatalog.folder().resolve("config.json");
        Files.writeString(config, """
                {"model_type": "qwen3", "hidden_size": 1024, "num_attention_heads": 16, "num_key_value_heads": 8,
                 "num_hidden_layers": 28, "intermediate_size": 3072, "vocab_size": 151936,
                 "max_position_embeddings": 40960, "tie_word_embeddings": true}""");

        Run run = run("catalog", "import", config.toString(), "--json", "--id", "small-qwen3");

        assertThat(run.code()).isZero();
        assertThat(run.json().get("id").asText()).isEqualTo("small-qwen3");
        assertThat(run.err()).contains("note: head_dim: absent, Qwen3Config default 128 applied");
    }

    @Test
    void importOfAnUnsupportedConfigExitsWithTwo() throws Exception {
        Path config = userCatalog.folder().resolve("config.json");
        Files.writeString(config, "{\"model_type\": \"bert\"}");

        Run run = run("catalog", "import", config.toString());

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("model_type = bert: is not supported");
    }
}
