package dev.headroom.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The loaded catalogs: built-in entries with the user's additions and overrides applied. Immutable; maps keep
 * file order so listings read like the files.
 *
 * @param files    one line per file that contributed (built-in and user), for the About dialog
 * @param warnings user-catalog problems that were skipped; the built-in entries still load
 */
public record Catalog(Map<String, Gpu> gpus, Map<String, Model> models, Map<String, CloudOffer> offers,
                      Map<String, HostPlatform> hosts, Map<String, Network> networks, List<FileInfo> files,
                      List<String> warnings) {

    public Catalog {
        gpus = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gpus));
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        offers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(offers));
        hosts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hosts));
        networks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(networks));
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }

    /**
     * @param origin  "built-in" or the user file's path
     * @param updated the date the file says it was revised
     */
    public record FileInfo(CatalogKind kind, String origin, String updated, int entries) {
    }

    public Optional<Gpu> gpu(String id) {
        return Optional.ofNullable(gpus.get(id));
    }

    public Optional<Model> model(String id) {
        return Optional.ofNullable(models.get(id));
    }

    public Optional<CloudOffer> offer(String id) {
        return Optional.ofNullable(offers.get(id));
    }

    public Optional<HostPlatform> host(String id) {
        return Optional.ofNullable(id == null ? null : hosts.get(id));
    }

    public Optional<Network> network(String id) {
        return Optional.ofNullable(id == null ? null : networks.get(id));
    }

    public Gpu requireGpu(String id) {
        return gpu(id).orElseThrow(() -> unknown("GPU", id, gpus.keySet()));
    }

    public Model requireModel(String id) {
        return model(id).orElseThrow(() -> unknown("model", id, models.keySet()));
    }

    public List<CloudOffer> offersFor(String gpuId) {
        return offers.values().stream().filter(o -> o.gpuId().equals(gpuId)).collect(Collectors.toList());
    }

    private static IllegalArgumentException unknown(String what, String id, Collection<String> known) {
        return new IllegalArgumentException("unknown " + what + " id '" + id + "'; known ids: " + String.join(", ", known));
    }
}
