package dev.headroom.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.settings.Settings.Theme;
import dev.headroom.settings.Settings.WindowBounds;
import dev.headroom.settings.Settings.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path folder;

    @Test
    void defaultsWhenThereIsNoFile() {
        try (SettingsStore store = new SettingsStore(folder.resolve("settings.json"))) {
            assertThat(store.load()).isEqualTo(Settings.DEFAULT);
        }
    }

    @Test
    void theLastOfManyQuickChangesIsWhatIsSaved() {
        Path file = folder.resolve("settings.json");
        try (SettingsStore store = new SettingsStore(file)) {
            Settings settings = Settings.DEFAULT;
            for (int x = 0; x < 200; x++) { // a window drag
                settings = settings.withWindow(new WindowBounds(x, 10, 1200, 700, false));
                store.save(settings);
            }
            store.save(settings.withTheme(Theme.DARK).withWorkspace(Workspace.MONITOR));
            assertThat(file).as("nothing is written within the debounce window").doesNotExist();
            store.flush();
        }
        Settings loaded = new SettingsStore(file).load();
        assertThat(loaded.theme()).isEqualTo(Theme.DARK);
        assertThat(loaded.workspace()).isEqualTo(Workspace.MONITOR);
        assertThat(loaded.window()).isEqualTo(new WindowBounds(199, 10, 1200, 700, false));
        assertThat(loaded.writtenBy()).isNotBlank();
    }

    @Test
    void aDebouncedSaveIsWrittenWithoutAFlush() throws InterruptedException {
        Path file = folder.resolve("settings.json");
        try (SettingsStore store = new SettingsStore(file)) {
            store.save(Settings.DEFAULT.withTheme(Theme.DARK));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!Files.exists(file) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(file).exists();
        }
    }

    @Test
    void aCorruptFileGivesDefaultsAndSaysWhy() throws IOException {
        Path file = folder.resolve("settings.json");
        Files.writeString(file, "{\"theme\": ");
        try (SettingsStore store = new SettingsStore(file)) {
            assertThat(store.load()).isEqualTo(Settings.DEFAULT);
            assertThat(store.lastProblem()).contains(file.toString()).contains("defaults are used");
        }
    }

    @Test
    void aFileFromANewerVersionWithUnknownFieldsStillLoads() throws IOException {
        Path file = folder.resolve("settings.json");
        Files.writeString(file, "{\"theme\": \"DARK\", \"workspace\": \"COSTS\", \"futureOption\": 3}");
        assertThat(new SettingsStore(file).load().workspace()).isEqualTo(Workspace.COSTS);
    }

    @Test
    void thePathComesFromTheSystemProperty() {
        String before = System.getProperty(SettingsStore.PATH_PROPERTY);
        try {
            System.setProperty(SettingsStore.PATH_PROPERTY, folder.resolve("x.json").toString());
            assertThat(SettingsStore.defaultPath()).isEqualTo(folder.resolve("x.json"));
        } finally {
            if (before == null) {
                System.clearProperty(SettingsStore.PATH_PROPERTY);
            } else {
                System.setProperty(SettingsStore.PATH_PROPERTY, before);
            }
        }
    }

    /** Issue 13, item 21: a folder at settings.json gives defaults with a warning, and saving does not crash. */
    @Test
    void aFolderAtTheSettingsFileGivesDefaultsWithAWarningAndSavesFailQuietly() throws IOException {
        Path file = Files.createDirectory(folder.resolve("settings.json"));
        try (SettingsStore store = new SettingsStore(file)) {
            assertThat(store.load()).isEqualTo(Settings.DEFAULT);
            assertThat(store.lastProblem()).isEqualTo(file + " is a folder, not a settings file; defaults are used "
                    + "and changes are not saved");

            store.save(Settings.DEFAULT.withTheme(Theme.DARK));
            store.flush();

            assertThat(store.lastProblem()).contains("settings could not be saved to " + file)
                    .contains("is a directory, not a regular file; nothing written");
        }
        assertThat(file).isDirectory();
    }
}
