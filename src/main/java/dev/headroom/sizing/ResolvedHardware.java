package dev.headroom.sizing;

import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.HostPlatform;
import dev.headroom.catalog.Network;
import dev.headroom.common.Format;
import java.util.List;
import java.util.Locale;

/**
 * The machine a scenario runs on: the GPU, its nodes and their scale-out network, and the host memory CPU offload
 * uses. Scenario fields left null take the GPU's catalog node and host platform.
 *
 * @param gpuCapacityBytes       memory the plan may use per GPU (a unified machine's GPU share)
 * @param domainGpus             GPUs that share the fast GPU link inside a node
 * @param networkShareBytesPerSecond one direction of the node's scale-out ports divided among its GPUs
 * @param hostCapacityBytes      host memory of one node (a unified machine: what its GPU share leaves)
 * @param hostBandwidth          bytes/s the CPU reads host memory at, at most the GPU's own bandwidth
 * @param hostBandwidthPerGpu    what each GPU of the node gets of the host memory's bandwidth when all stream at once
 * @param hostLinkBandwidth      one direction of the CPU-to-GPU link (PCIe, or NVLink-C2C on Grace)
 * @param hostName               what the host figures describe, for the estimate's text
 */
record ResolvedHardware(Gpu gpu, long gpuCapacityBytes, int gpus, int nodes, int gpusPerNode, int domainGpus,
                        Network network, double networkShareBytesPerSecond, long hostCapacityBytes,
                        double hostBandwidth, double hostBandwidthPerGpu, double hostLinkBandwidth, String hostName) {

    static ResolvedHardware resolve(Scenario scenario, Gpu gpu, Catalog catalog, List<String> problems) {
        Scenario.Hardware hardware = scenario.hardware();
        Scenario.Nodes asked = hardware.nodes();
        Gpu.Node node = gpu.node();
        int count = hardware.count();
        int perNode;
        if (asked.gpusPerNode() != null) {
            perNode = asked.gpusPerNode();
        } else if (asked.nodes() != null) {
            perNode = (int) Math.max(1, (count + (long) asked.nodes() - 1) / asked.nodes());
        } else {
            perNode = Math.min(count, node.gpusPerNode());
        }
        int nodes = asked.nodes() != null ? asked.nodes() : (int) ((count + (long) perNode - 1) / perNode);
        if (perNode > node.gpusPerNode()) {
            problems.add(String.format(Locale.ROOT, "gpus-per-node = %d: one %s node holds at most %d (catalog node.gpusPerNode)",
                    perNode, gpu.name(), node.gpusPerNode()));
        }
        if ((long) nodes * perNode < count) {
            problems.add(String.format(Locale.ROOT, "nodes x gpus-per-node = %d x %d = %d: fewer than gpus = %d",
                    nodes, perNode, (long) nodes * perNode, count));
        } else if (asked.nodes() != null && (long) (nodes - 1) * perNode >= count) {
            problems.add(String.format(Locale.ROOT, "nodes = %d: gpus = %d fill only %d nodes of %d GPUs", nodes,
                    count, (count + perNode - 1) / perNode, perNode));
        }
        int tensor = scenario.parallelism().tensor();
        if (tensor > perNode) {
            problems.add(String.format(Locale.ROOT, "tp = %d: tensor parallelism stays inside one node of %d GPUs"
                    + " (gpus-per-node); split further with --pp or --dp", tensor, perNode));
        } else if (perNode % tensor != 0) {
            problems.add(String.format(Locale.ROOT, "tp = %d: must divide gpus-per-node = %d, or a tensor group"
                    + " would straddle two nodes", tensor, perNode));
        }
        String networkId = asked.network() != null ? asked.network() : node.network();
        Network network = catalog.network(networkId).orElse(null);
        if (network == null) {
            problems.add("network = " + Format.echo(networkId) + ": no such network id; one of "
                    + String.join(", ", catalog.networks().keySet()));
        }
        Double share = hardware.unifiedGpuShare();
        if (share != null && gpu.unifiedMemory() == null) {
            share = null; // a plan saved on a Mac, sized on a discrete GPU: SizingEngine warns that it is ignored
        }
        long capacity = gpu.capacityBytes(share);
        Scenario.Offload offload = hardware.offload();
        HostPlatform host = catalog.host(node.host()).orElse(null);
        long hostCapacity;
        double hostBandwidth;
        int hosts;
        String hostName;
        if (gpu.isUnified()) {
            // The CPU reads the same memory; the operating system and the CPU side get what the GPU share leaves.
            hostCapacity = gpu.cpuSideBytes(share);
            hostBandwidth = gpu.memory().bandwidthBytesPerSecond();
            hostName = gpu.name() + " unified memory, CPU side";
            hosts = 1;
        } else {
            hosts = host.hostsFor(perNode);
            hostCapacity = host.memoryBytes() * hosts;
            hostBandwidth = host.bandwidthBytesPerSecond();
            hostName = hosts == 1 ? host.name() : hosts + " x " + host.name();
        }
        if (offload.hostMemoryBytes() != null) {
            if (gpu.isUnified() && offload.hostMemoryBytes() > hostCapacity) {
                problems.add(String.format(Locale.ROOT, "host-memory (GiB) = %s: %s has %s left beside the GPU's"
                        + " share; lower --unified-gpu-share to give the CPU side more", Format.plain(
                        offload.hostMemoryBytes() / Format.GIB), gpu.name(), Format.gib(hostCapacity)));
            }
            hostCapacity = offload.hostMemoryBytes();
        }
        if (offload.hostBandwidth() != null) {
            hostBandwidth = offload.hostBandwidth();
        }
        // Offloaded layers never read faster than the GPU reads its own memory: a server's many channels (a T4 on a
        // 409.6 GB/s 2-socket host) are spread over NUMA nodes and other work, so the GPU's figure is the cap.
        hostBandwidth = Math.min(hostBandwidth, gpu.memory().bandwidthBytesPerSecond());
        // The node's ports shared by its GPUs; NCCL spreads a GPU's traffic over several (PXN) where there are more.
        double networkShare = network == null ? 0 : network.bytesPerSecond() * node.nicsPerNode() / Math.max(1, perNode);
        double perGpu = hostBandwidth * hosts / Math.max(1, Math.min(count, perNode));
        return new ResolvedHardware(gpu, capacity, count, nodes, perNode, Math.min(node.domainGpus(), perNode), network,
                networkShare, hostCapacity, hostBandwidth, Math.min(hostBandwidth, perGpu), hostLinkOneWay(gpu, host),
                hostName);
    }

    /**
     * CPU-to-GPU bandwidth in one direction: NVLink-C2C where the catalog gives it (a total), else PCIe at the older
     * of the GPU's and the host CPU's generations.
     */
    static double hostLinkOneWay(Gpu gpu, HostPlatform host) {
        Gpu.Interconnect link = gpu.interconnect();
        if (link.hostLinkBytesPerSecond() != null) {
            return link.hostLinkBytesPerSecond() / 2;
        }
        int generation = host == null || host.pcieGeneration() == null ? link.pcieGeneration()
                : Math.min(link.pcieGeneration(), host.pcieGeneration());
        return PerformanceModel.pcieOneWay(link, generation);
    }
}
