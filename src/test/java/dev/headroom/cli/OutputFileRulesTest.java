package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.headroom.common.SpecialFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, items 3 and 20: {@code report -o} and {@code size --save} write through a symlink, and refuse a FIFO, a
 * directory, a device and a missing folder with exit 2 and one line, leaving what was there.
 */
class OutputFileRulesTest {
    private static final String RECORDING = "src/test/resources/nvml/h200-recording.jsonl";

    @TempDir
    Path folder;

    @RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    private Path plan;

    @BeforeEach
    void savePlan() {
        plan = folder.resolve("plan.json");
        assertThat(run("size", "--model", "llama-3.1-8b", "--gpu", "l40s", "--save", plan.toString()).code()).isZero();
    }

    private static CliTest.Run report(Path output) {
        return run("report", RECORDING, "--format", "html", "-o", output.toString());
    }

    private static CliTest.Run save(Path output) {
        return run("size", "--model", "llama-3.1-8b", "--gpu", "l40s", "--save", output.toString());
    }

    private static void assertRefused(CliTest.Run run, String message) {
        assertThat(run.code()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isOne();
    }

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws Exception {
        Path target = folder.resolve("kept/real.html");
        Files.createDirectories(target.getParent());
        Path link = Files.createSymbolicLink(folder.resolve("report.html"), target);

        assertThat(report(link).code()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(target)).contains("GPU monitoring");

        Path planLink = Files.createSymbolicLink(folder.resolve("plan-link.json"), plan);
        assertThat(save(planLink).code()).isZero();
        assertThat(Files.isSymbolicLink(planLink)).isTrue();
    }

    @Test
    void aFifoIsRefused() throws Exception {
        Path fifo = SpecialFiles.fifo(folder.resolve("report.pdf"));

        assertRefused(report(fifo), "report.pdf: is a FIFO, not a regular file; nothing written");
        assertRefused(save(fifo), "report.pdf: is a FIFO, not a regular file; nothing written");
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path directory = Files.createDirectory(folder.resolve("out.html"));

        assertRefused(report(directory), "out.html: is a directory, not a regular file; nothing written");
        assertRefused(save(directory), "out.html: is a directory, not a regular file; nothing written");
        assertThat(directory).isDirectory();
    }

    /** Also as root, where permissions prove nothing: /dev/full stays a device. */
    @Test
    void aDeviceIsRefused() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.exists(full), "no /dev/full on this system");

        assertRefused(report(full), "/dev/full: is a character device, not a regular file; nothing written");
        assertRefused(save(full), "/dev/full: is a character device, not a regular file; nothing written");
        assertThat(Files.isRegularFile(full)).isFalse();
    }

    @Test
    void aMissingFolderIsRefusedAndNotCreated() {
        Path output = folder.resolve("typo/report.html");

        assertRefused(report(output), "folder " + output.getParent() + " does not exist; nothing written");
        assertRefused(save(output), "folder " + output.getParent() + " does not exist; nothing written");
        assertThat(output.getParent()).doesNotExist();
    }

    @Test
    void aReadOnlyFolderIsRefusedAndTheOldFileKept() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permissions");
        Path locked = Files.createDirectory(folder.resolve("locked"));
        Path output = locked.resolve("report.html");
        Files.writeString(output, "old");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertRefused(report(output), "cannot be written (permission denied); nothing written, the old file is kept");
            assertRefused(save(output), "cannot be written (permission denied); nothing written, the old file is kept");
            assertThat(output).hasContent("old");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
