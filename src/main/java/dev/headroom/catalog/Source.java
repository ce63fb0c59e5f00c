package dev.headroom.catalog;

import java.util.List;

/**
 * Where a group of catalog figures comes from. {@code covers} names the figure groups this source backs
 * ("memory", "compute", "power", "interconnect", "price", "architecture", "parameters"); {@code date} is the
 * date the source gives for the figure (a price date, a release date) or, failing that, the day it was read.
 */
public record Source(List<String> covers, String title, String url, String date) {
    public Source {
        covers = covers == null ? List.of() : List.copyOf(covers);
    }
}
