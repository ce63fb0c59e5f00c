package dev.headroom.ui.plan;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.HostPlatform;
import dev.headroom.common.Format;

/**
 * What the hardware step's optional fields fall back to for the selected GPU, as their prompts show it: the GPUs
 * one of its catalog nodes holds, its host platform's memory and bandwidth, or on a unified-memory machine what
 * the GPU's share leaves to the CPU. Mirrors the engine's resolution of the same nulls (ResolvedHardware).
 *
 * @param unified        whether the GPU shares one memory with its CPU (the GPU-share field applies)
 * @param unifiedShare   the default share and the most users run with; empty when not unified
 * @param unifiedControl how the share is raised (a sysctl, a kernel parameter); empty when not unified
 */
record HardwareDefaults(boolean unified, String gpusPerNode, String hostMemoryGib, String hostBandwidthGbps,
                        String unifiedShare, String unifiedControl) {
    static final HardwareDefaults NONE = new HardwareDefaults(false, "", "", "", "", "");

    /** @param share the GPU share typed in, or null for the catalog's default */
    static HardwareDefaults of(Catalog catalog, Gpu gpu, Double share) {
        if (gpu == null) {
            return NONE;
        }
        String perNode = "up to " + gpu.node().gpusPerNode() + ", the GPU's catalog node";
        if (gpu.isUnified() && gpu.unifiedMemory() != null) {
            Gpu.UnifiedMemory u = gpu.unifiedMemory();
            double used = share != null ? share : u.defaultGpuShare();
            long left = gpu.cpuSideBytes(share);
            return new HardwareDefaults(true, perNode,
                    gib(left) + ": what a GPU share of " + Format.plain(used) + " leaves",
                    gbps(gpu.memory().bandwidthBytesPerSecond()) + ": the unified memory's",
                    Format.plain(u.defaultGpuShare()) + " (users run up to " + Format.plain(u.maxGpuShare()) + ")",
                    u.control() == null ? "" : u.control());
        }
        HostPlatform host = catalog.host(gpu.node().host()).orElse(null);
        if (host == null) {
            return new HardwareDefaults(false, perNode, "", "", "", "");
        }
        int hosts = host.hostsFor(gpu.node().gpusPerNode());
        return new HardwareDefaults(false, perNode, gib(host.memoryBytes() * hosts) + ": "
                        + (hosts == 1 ? host.name() : hosts + " x " + host.name()),
                gbps(host.bandwidthBytesPerSecond()) + ": " + host.name(), "", "");
    }

    private static String gib(long bytes) {
        return Format.plain(Math.round(bytes / Format.GIB * 10) / 10.0);
    }

    private static String gbps(double bytesPerSecond) {
        return Format.plain(Math.round(bytesPerSecond / 1e8) / 10.0);
    }
}
