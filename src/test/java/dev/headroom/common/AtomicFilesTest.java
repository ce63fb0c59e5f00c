package dev.headroom.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void writesTheContentAndLeavesNoTemporaryFile() throws IOException {
        Path target = folder.resolve("sub/plan.json");

        AtomicFiles.writeString(target, "{\"a\": 1}", AtomicFiles.Folder.CREATE);

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

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws IOException {
        Path real = folder.resolve("real.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(folder.resolve("link.json"), Path.of("real.json"));

        AtomicFiles.writeString(link, "new");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(real).hasContent("new");
    }

    @Test
    void aDanglingSymlinkCreatesTheFileItNames() throws IOException {
        Path link = Files.createSymbolicLink(folder.resolve("link.json"), folder.resolve("later.json"));

        AtomicFiles.writeString(link, "new");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(folder.resolve("later.json")).hasContent("new");
    }

    @Test
    void aLoopOfSymlinksIsRefused() throws IOException {
        Files.createSymbolicLink(folder.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(folder.resolve("b"), Path.of("a"));

        assertThatThrownBy(() -> AtomicFiles.writeString(folder.resolve("a"), "x"))
                .isInstanceOf(RefusedTargetException.class).hasMessageContaining("too many levels of symbolic links");
    }

    @Test
    void aDirectoryIsRefusedAndKept() throws IOException {
        Path target = Files.createDirectory(folder.resolve("report.pdf"));

        assertThatThrownBy(() -> AtomicFiles.writeString(target, "x"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessage(target.toAbsolutePath() + ": is a directory, not a regular file; nothing written");
        assertThat(target).isDirectory();
    }

    @Test
    void aFifoIsRefusedAndKept() throws Exception {
        Path fifo = SpecialFiles.fifo(folder.resolve("report.pdf"));

        assertThatThrownBy(() -> AtomicFiles.writeString(fifo, "x"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessageEndingWith("report.pdf: is a FIFO, not a regular file; nothing written");
        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }

    /** As root too: a device is refused, never replaced by a regular file (issue 13, item 3). */
    @Test
    void aDeviceIsRefused() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full on this system");

        assertThatThrownBy(() -> AtomicFiles.writeString(full, "x"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessage("/dev/full: is a character device, not a regular file; nothing written");
        assertThat(Files.isRegularFile(full)).isFalse();
    }

    @Test
    void aSymlinkToADeviceIsRefused() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/null")), "no /dev/null on this system");
        Path link = Files.createSymbolicLink(folder.resolve("out.pdf"), Path.of("/dev/null"));

        assertThatThrownBy(() -> AtomicFiles.writeString(link, "x"))
                .isInstanceOf(RefusedTargetException.class).hasMessageContaining("is a character device");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aMissingFolderIsRefusedForUserFilesAndCreatedForTheAppsOwn() throws IOException {
        Path named = folder.resolve("typo/report.pdf");

        assertThatThrownBy(() -> AtomicFiles.writeString(named, "x"))
                .isInstanceOf(RefusedTargetException.class)
                .hasMessage(named + ": folder " + named.getParent() + " does not exist; nothing written");
        assertThat(named.getParent()).doesNotExist();

        Path own = folder.resolve(".headroom/settings.json");
        AtomicFiles.writeString(own, "{}", AtomicFiles.Folder.CREATE);
        assertThat(own).hasContent("{}");
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefused() throws IOException {
        Files.writeString(folder.resolve("notes"), "text");

        assertThatThrownBy(() -> AtomicFiles.writeString(folder.resolve("notes/report.pdf"), "x",
                AtomicFiles.Folder.CREATE))
                .isInstanceOf(RefusedTargetException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void aReadOnlyFolderIsRefusedAndTheOldFileKept() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permissions");
        Path locked = Files.createDirectory(folder.resolve("locked"));
        Path target = locked.resolve("plan.json");
        Files.writeString(target, "old and good");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> AtomicFiles.writeString(target, "new"))
                    .isInstanceOf(RefusedTargetException.class)
                    .hasMessage(target + ": folder " + locked + " cannot be written (permission denied); nothing "
                            + "written, the old file is kept");
            assertThat(target).hasContent("old and good");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void appendingFollowsTheSameRules() throws Exception {
        Path file = folder.resolve("run.jsonl");
        Files.writeString(file, "a\n");
        try (java.nio.channels.FileChannel channel = AtomicFiles.openAppending(
                Files.createSymbolicLink(folder.resolve("link.jsonl"), file))) {
            channel.write(java.nio.ByteBuffer.wrap("b\n".getBytes()));
        }
        assertThat(file).hasContent("a\nb");
        assertThatThrownBy(() -> AtomicFiles.openAppending(folder))
                .isInstanceOf(RefusedTargetException.class).hasMessageContaining("is a directory");
    }
}
