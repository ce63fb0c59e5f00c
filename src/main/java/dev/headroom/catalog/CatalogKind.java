package dev.headroom.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.function.BiFunction;

/** The catalogs, each with its file name, entry type and validation. */
public enum CatalogKind {
    GPUS("gpus.json", new TypeReference<CatalogFile<Gpu>>() { }, (file, entry) -> CatalogValidator.validate(file, (Gpu) entry)),
    MODELS("models.json", new TypeReference<CatalogFile<Model>>() { }, (file, entry) -> CatalogValidator.validate(file, (Model) entry)),
    OFFERS("cloud-offers.json", new TypeReference<CatalogFile<CloudOffer>>() { }, (file, entry) -> CatalogValidator.validate(file, (CloudOffer) entry)),
    HOSTS("hosts.json", new TypeReference<CatalogFile<HostPlatform>>() { }, (file, entry) -> CatalogValidator.validate(file, (HostPlatform) entry)),
    NETWORKS("networks.json", new TypeReference<CatalogFile<Network>>() { }, (file, entry) -> CatalogValidator.validate(file, (Network) entry));

    private final String fileName;
    private final TypeReference<? extends CatalogFile<? extends CatalogEntry>> type;
    private final BiFunction<String, CatalogEntry, List<Problem>> validator;

    CatalogKind(String fileName, TypeReference<? extends CatalogFile<? extends CatalogEntry>> type,
                BiFunction<String, CatalogEntry, List<Problem>> validator) {
        this.fileName = fileName;
        this.type = type;
        this.validator = validator;
    }

    public String fileName() {
        return fileName;
    }

    TypeReference<? extends CatalogFile<? extends CatalogEntry>> type() {
        return type;
    }

    List<Problem> validate(String file, CatalogEntry entry) {
        return validator.apply(file, entry);
    }
}
