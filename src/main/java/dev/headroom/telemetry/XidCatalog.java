package dev.headroom.telemetry;

import java.util.Map;

/**
 * What an XID code means, for dcgm-exporter's {@code err_msg} label and for alerts: a subset of NVIDIA's XID
 * catalog (docs.nvidia.com/deploy/xid-errors), in its words shortened. {@link #needsAction(int)} is true for the
 * codes whose recommended action there is a GPU reset, a node reboot or a service call, not an application fix.
 */
public final class XidCatalog {
    private record Entry(String message, boolean action) {
    }

    private static final Map<Integer, Entry> CODES = Map.ofEntries(
            Map.entry(13, new Entry("Graphics engine exception", false)),
            Map.entry(31, new Entry("GPU memory page fault", false)),
            Map.entry(32, new Entry("Invalid or corrupted push buffer stream", false)),
            Map.entry(43, new Entry("GPU stopped processing", false)),
            Map.entry(45, new Entry("Preemptive cleanup, due to previous errors", false)),
            Map.entry(48, new Entry("Double bit ECC error", true)),
            Map.entry(61, new Entry("Internal micro-controller breakpoint/warning", true)),
            Map.entry(62, new Entry("Internal micro-controller halt", true)),
            Map.entry(63, new Entry("ECC page retirement or row remapping recording event", true)),
            Map.entry(64, new Entry("ECC page retirement or row remapper recording failure", true)),
            Map.entry(68, new Entry("NVDEC0 Exception", false)),
            Map.entry(69, new Entry("Graphics Engine class error", false)),
            Map.entry(74, new Entry("NVLINK Error", true)),
            Map.entry(79, new Entry("GPU has fallen off the bus", true)),
            Map.entry(92, new Entry("High single-bit ECC error rate", true)),
            Map.entry(94, new Entry("Contained ECC error", true)),
            Map.entry(95, new Entry("Uncontained ECC error", true)),
            Map.entry(109, new Entry("Context Switch Timeout Error", false)),
            Map.entry(119, new Entry("GSP RPC Timeout", true)),
            Map.entry(120, new Entry("GSP Error", true)),
            Map.entry(122, new Entry("SPI PMU RPC Read Failure", true)),
            Map.entry(123, new Entry("SPI PMU RPC Write Failure", true)),
            Map.entry(140, new Entry("Unrecovered ECC Error", true)),
            Map.entry(143, new Entry("GPU Initialization Failure", true)),
            Map.entry(154, new Entry("GPU Recovery Action Changed", true)));

    private XidCatalog() {
    }

    /** The catalog's short description, or "" for a code it does not list (and for 0, no XID yet). */
    public static String message(int code) {
        Entry entry = CODES.get(code);
        return entry == null ? "" : entry.message();
    }

    /** Whether NVIDIA's catalog asks for a reset, a reboot or service after this XID. */
    public static boolean needsAction(int code) {
        Entry entry = CODES.get(code);
        return entry != null && entry.action();
    }
}
