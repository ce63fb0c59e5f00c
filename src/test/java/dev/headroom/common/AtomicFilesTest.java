package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void writesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = folder.resolve("sub/plan.json");

        AtomicFiles.writeString(target, "{\"a\": 1}");

        assertThat(target).hasContent("{\"a\": 1}");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aFailureHalfwayKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
        Path target = folder.resolve("settings.json");
        Files.writeString(target, "old and good");

        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("No space left on device");
        })).isInstanceOf(IOException.class).hasMessageContaining("No space left");

        assertThat(target).hasContent("old and good");
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).containsExactly(target);
        }
    }
}
