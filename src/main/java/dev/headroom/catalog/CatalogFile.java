package dev.headroom.catalog;

import java.util.List;

/** The envelope of every catalog file: a schema version, the date the file was last revised, the entries. */
public record CatalogFile<T>(Integer schemaVersion, String updated, List<T> entries) {
    public CatalogFile {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
