package dev.headroom.catalog;

import java.util.List;

/**
 * A scale-out network between nodes: one port of it. A node has one or more ports ({@link Gpu.Node#nicsPerNode()}).
 *
 * @param bytesPerSecond one direction of one port (400 Gb/s = 5e10 B/s)
 * @param latencySeconds the published port-to-port or switch latency; null where none is published
 */
public record Network(String id, String name, String technology, Double bytesPerSecond, Double latencySeconds,
                      String notes, List<Source> sources) implements CatalogEntry {

    public Network {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }
}
