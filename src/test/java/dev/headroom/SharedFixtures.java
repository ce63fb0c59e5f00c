package dev.headroom;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real files from other projects, read where they are kept ({@code ../shared/fixtures} beside the project) and
 * never copied in; a test that needs one is skipped, saying so, where that folder is absent.
 */
public final class SharedFixtures {
    private static final Path ROOT = Path.of("..", "shared", "fixtures");

    private SharedFixtures() {
    }

    /** A published Hugging Face config.json, by its file name in {@code hf-configs/} without ".json". */
    public static Path hfConfig(String name) {
        Path file = ROOT.resolve("hf-configs").resolve(name + ".json");
        Assumptions.assumeTrue(Files.isRegularFile(file), file + " is absent (no ../shared beside the project): skipped");
        return file;
    }

    /** One of dcgm-exporter's files in {@code dcgm/}: its Grafana dashboard, its default-counters.csv. */
    public static Path dcgm(String fileName) {
        Path file = ROOT.resolve("dcgm").resolve(fileName);
        Assumptions.assumeTrue(Files.isRegularFile(file), file + " is absent (no ../shared beside the project): skipped");
        return file;
    }
}
