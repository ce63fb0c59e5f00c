package dev.headroom.planner;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.GpuClass;
import dev.headroom.catalog.Model;
import dev.headroom.common.Format;
import dev.headroom.sizing.Scenario;
import dev.headroom.sizing.WeightFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the search may choose from: GPUs (every catalog GPU, or a list of ids, a class or a vendor), weight formats
 * (default: the model's native format, bf16, fp8 where the GPU computes in it, awq-int4), at most {@code maxGpus}
 * GPUs in all, owned and/or rented prices.
 *
 * @param nativeFormat the published checkpoint's format where it is not 16-bit (the catalog's nativeFormat), or null:
 *                     it is searched on every GPU, as runtimes dequantise it where the GPU lacks its tensor cores
 *                     (vLLM serves gpt-oss's MXFP4 on Hopper and Ampere)
 * @param calibration  fitted efficiencies and overheads for one GPU and runtime, or null
 */
public record SearchSpace(List<Gpu> gpus, List<WeightFormat> formats, int maxGpus, boolean owned, boolean cloud,
                          WeightFormat nativeFormat, dev.headroom.sizing.Calibration calibration) {
    public static final int DEFAULT_MAX_GPUS = 64;
    public static final List<WeightFormat> DEFAULT_FORMATS = List.of(WeightFormat.BF16, WeightFormat.FP8,
            WeightFormat.AWQ_INT4);

    public SearchSpace(List<Gpu> gpus, List<WeightFormat> formats, int maxGpus, boolean owned, boolean cloud) {
        this(gpus, formats, maxGpus, owned, cloud, null, null);
    }

    public SearchSpace(List<Gpu> gpus, List<WeightFormat> formats, int maxGpus, boolean owned, boolean cloud,
                       WeightFormat nativeFormat) {
        this(gpus, formats, maxGpus, owned, cloud, nativeFormat, null);
    }

    /** The same space with a calibration profile, applied to the layouts on its GPU and runtime only. */
    public SearchSpace withCalibration(dev.headroom.sizing.Calibration value) {
        return new SearchSpace(gpus, formats, maxGpus, owned, cloud, nativeFormat, value);
    }

    /** The catalog model's native format; null for a 16-bit checkpoint or a model not from the catalog. */
    public static WeightFormat nativeFormat(Catalog catalog, Scenario base) {
        String id = base == null || base.model() == null ? null : base.model().catalogId();
        String label = id == null ? null : catalog.model(id).map(Model::nativeFormat).orElse(null);
        if (label == null) {
            return null;
        }
        try {
            return dev.headroom.sizing.Labeled.parse(WeightFormat.class, "nativeFormat", label);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("models.json " + id + ": " + e.getMessage());
        }
    }

    /** {@code ID,ID}, {@code class:consumer|workstation|data-center|unified} or {@code vendor:NAME}; null = all. */
    public static List<Gpu> gpus(Catalog catalog, String filter) {
        List<Gpu> all = List.copyOf(catalog.gpus().values());
        if (filter == null || filter.isBlank()) {
            return all;
        }
        String f = filter.trim().toLowerCase(Locale.ROOT);
        if (f.startsWith("class:")) {
            String name = f.substring("class:".length()).replace('-', '_').toUpperCase(Locale.ROOT);
            GpuClass wanted;
            try {
                wanted = GpuClass.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gpus = " + Format.echo(filter)
                        + ": the class must be consumer, workstation, data-center or unified");
            }
            return all.stream().filter(g -> g.gpuClass() == wanted).toList();
        }
        if (f.startsWith("vendor:")) {
            String vendor = f.substring("vendor:".length());
            List<Gpu> found = all.stream().filter(g -> g.vendor() != null
                    && g.vendor().toLowerCase(Locale.ROOT).equals(vendor)).toList();
            if (found.isEmpty()) {
                throw new IllegalArgumentException("gpus = " + Format.echo(filter) + ": no catalog GPU of that vendor"
                        + " ('headroom catalog list gpus' lists them)");
            }
            return found;
        }
        List<Gpu> chosen = new ArrayList<>();
        for (String id : f.split(",")) {
            Gpu gpu = catalog.gpu(id.trim()).orElseThrow(() -> new IllegalArgumentException("gpus = "
                    + Format.echo(filter) + ": no such GPU id '" + Format.echo(id.trim())
                    + "'; 'headroom catalog list gpus' lists them"));
            chosen.add(gpu);
        }
        return chosen;
    }

    /** Formats as {@code bf16,fp8,awq-int4}; none given: the defaults, after the native format where there is one. */
    public static List<WeightFormat> formats(String text, WeightFormat nativeFormat) {
        if (text == null || text.isBlank()) {
            List<WeightFormat> defaults = new ArrayList<>();
            if (nativeFormat != null && !DEFAULT_FORMATS.contains(nativeFormat)) {
                defaults.add(nativeFormat);
            }
            defaults.addAll(DEFAULT_FORMATS);
            return List.copyOf(defaults);
        }
        List<WeightFormat> formats = new ArrayList<>();
        for (String part : text.split(",")) {
            formats.add(dev.headroom.sizing.Labeled.parse(WeightFormat.class, "formats", part.trim()));
        }
        return formats;
    }
}
