package dev.headroom.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar contract of the foundation issue, checked the way a user meets it: {@code java -jar
 * target/headroom.jar ...} from another working directory, in a fresh JVM.
 */
class JarContractIT {
    private static final Path JAR = Path.of(System.getProperty("headroom.jar", "target/headroom.jar")).toAbsolutePath();

    @TempDir
    Path elsewhere;

    record Result(int code, String out, String err) {
    }

    private Result java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dheadroom.catalogs=" + elsewhere.resolve("no-user-catalogs"), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = elsewhere.resolve("out.txt");
        Path err = elsewhere.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(elsewhere.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished within a minute").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void versionAndHelpWorkFromAnyDirectory() throws Exception {
        Result version = java("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("headroom ");

        Result help = java("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: headroom").contains("catalog");
    }

    @Test
    void theCommandLineRunsWithoutStartingJavaFx() throws Exception {
        Result run = java("catalog", "list", "gpus");
        assertThat(run.code()).isZero();
        assertThat(run.err()).doesNotContain("JavaFX").doesNotContain("glass");
    }

    @Test
    void listModelsJsonPrintsEveryModelWithDerivedAndPublishedCounts() throws Exception {
        Result run = java("catalog", "list", "models", "--json");

        assertThat(run.code()).isZero();
        JsonNode models = new ObjectMapper().readTree(run.out());
        List<String> ids = new ArrayList<>();
        models.forEach(m -> {
            ids.add(m.get("id").asText());
            assertThat(m.get("derivedParameters").asLong()).as(m.get("id").asText()).isPositive();
            assertThat(m.get("publishedParameters").asLong()).as(m.get("id").asText()).isPositive();
        });
        assertThat(ids).contains("llama-2-7b", "llama-3.1-405b", "mixtral-8x22b", "qwen2.5-72b", "gemma-2-27b",
                "phi-3-medium", "deepseek-v3", "opt-13b", "gpt-3-175b", "falcon-40b");
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        Result run = java("catalog", "show", "no-such-id");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("no-such-id");
    }
}
