package dev.headroom.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.settings.SettingsStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellViewModelTest {
    @TempDir
    Path folder;

    /** Issue 13, item 21: the warning about unreadable settings is in the status bar at startup. */
    @Test
    void aSettingsProblemAtStartupShowsInTheStatusBar() throws Exception {
        Catalog catalog = new CatalogLoader(null).load();
        Path file = Files.createDirectory(folder.resolve("settings.json"));
        try (SettingsStore store = new SettingsStore(file)) {
            ShellViewModel model = new ShellViewModel(catalog, store, store.load());

            assertThat(model.statusProperty().get()).startsWith("Catalogs: ")
                    .endsWith(file + " is a folder, not a settings file; defaults are used and changes are not saved");
        }
    }

    @Test
    void withoutAProblemTheStatusBarShowsTheCatalogs() {
        Catalog catalog = new CatalogLoader(null).load();
        try (SettingsStore store = new SettingsStore(folder.resolve("settings.json"))) {
            ShellViewModel model = new ShellViewModel(catalog, store, store.load());

            assertThat(model.statusProperty().get()).isEqualTo(ShellViewModel.catalogSummary(catalog));
        }
    }
}
