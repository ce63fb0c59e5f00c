package dev.headroom.catalog;

import java.util.List;

/** What every catalog entry has: an id unique within its file, and the sources of its figures. */
public interface CatalogEntry {
    String id();

    List<Source> sources();
}
