package dev.headroom.cli;

import dev.headroom.catalog.CatalogLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points the user catalog at an empty folder of its own for each test, so a developer's ~/.headroom catalogs never
 * change what a command prints, and restores the property after.
 */
final class IsolatedUserCatalog implements BeforeEachCallback, AfterEachCallback {
    private String previous;
    private Path folder;

    /** The user catalog folder of the running test (exists, empty at its start). */
    Path folder() {
        return folder;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("headroom-user-catalog");
        previous = System.getProperty(CatalogLoader.USER_DIR_PROPERTY);
        System.setProperty(CatalogLoader.USER_DIR_PROPERTY, folder.toString());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (previous == null) {
            System.clearProperty(CatalogLoader.USER_DIR_PROPERTY);
        } else {
            System.setProperty(CatalogLoader.USER_DIR_PROPERTY, previous);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
