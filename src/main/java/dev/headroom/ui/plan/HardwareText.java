package dev.headroom.ui.plan;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.Network;
import dev.headroom.common.Format;
import dev.headroom.sizing.Estimate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The estimate's nodes, links and host memory in words, for the hardware step and the results; the same figures
 * {@code headroom size} prints, with the network's catalog name where the command line shows its id.
 */
final class HardwareText {
    private HardwareText() {
    }

    /**
     * "4 nodes x 8 GPUs (NVLink 4 domain 8), InfiniBand NDR 400 Gb/s (...) between nodes: 50 GB/s per GPU";
     * one node leaves out the network, one GPU per node the GPU link.
     */
    static String layout(Estimate.Layout l, Catalog catalog, Gpu gpu) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d node%s x %d GPU%s", l.nodes(),
                l.nodes() == 1 ? "" : "s", l.gpusPerNode(), l.gpusPerNode() == 1 ? "" : "s"));
        if (l.gpusPerNode() > 1 && gpu != null) {
            Gpu.Interconnect link = gpu.interconnect();
            text.append(l.domainGpus() > 1 && link.gpuLink() != null
                    ? " (" + link.gpuLink() + " domain " + l.domainGpus() + ")"
                    : " (PCIe Gen" + link.pcieGeneration() + " between the GPUs, no GPU link)");
        }
        if (l.nodes() > 1) {
            String network = catalog.network(l.network()).map(Network::name).orElse(l.network());
            text.append(", ").append(network).append(" between nodes: ")
                    .append(Format.gbPerSecond(l.networkBytesPerSecondPerGpu())).append(" per GPU");
        }
        return text.toString();
    }

    /** Each parallel group of more than one GPU: what it talks over and how long that takes per step. */
    static Map<String, String> links(Estimate.Layout l) {
        Map<String, String> rows = new LinkedHashMap<>();
        link(rows, "Tensor parallel", l.tensorLink(), l.tensorSeconds());
        link(rows, "Pipeline", l.pipelineLink(), l.pipelineSeconds());
        if (l.dataParallelLink() != null) {
            rows.put("Data-parallel all-reduce", "over " + l.dataParallelLink() + ": "
                    + ResultsPane.seconds(l.dataParallelSeconds()) + " per step, "
                    + ResultsPane.seconds(l.exposedDataParallelSeconds()) + " of it exposed");
        }
        link(rows, "Expert all-to-all", l.expertLink(), l.expertSeconds());
        return rows;
    }

    private static void link(Map<String, String> rows, String group, String link, Double seconds) {
        if (link != null) {
            rows.put(group, "over " + link + ": " + ResultsPane.seconds(seconds) + " per step");
        }
    }

    /**
     * "39 layers on the GPU, 41 on the CPU: 20.1 GiB weights + 0.4 GiB KV cache = 20.5 GiB of 64.0 GiB, fits".
     */
    static String host(Estimate.Host h) {
        String placement = h.gpuLayers() != null
                ? String.format(Locale.ROOT, "%d layers on the GPU, %d on the CPU%s", h.gpuLayers(), h.cpuLayers(),
                        Boolean.TRUE.equals(h.outputOnGpu()) ? "" : ", output head on the CPU")
                : "offloaded weights of the node's GPUs";
        return String.format(Locale.ROOT, "%s: %s weights + %s KV cache = %s of %s, %s", placement,
                Format.gib(h.weightsBytes()), Format.gib(h.kvCacheBytes()), Format.gib(h.totalBytes()),
                Format.gib(h.capacityBytes()), h.fits() ? "fits" : "does not fit");
    }

    /** "read at 90 GB/s (Desktop, dual-channel DDR5-5600)". */
    static String hostRead(Estimate.Host h) {
        return "read at " + Format.gbPerSecond(h.bandwidthBytesPerSecond()) + " (" + h.platform() + ")";
    }
}
