package dev.headroom.telemetry;

import java.util.List;

/**
 * Where readings come from: the local driver (NVML), a recording being replayed, a fleet, or a clearly labelled
 * simulation. One sampler thread calls a source; a source need not be thread-safe.
 */
public interface GpuSource extends AutoCloseable {

    /** A short name for status bars and recordings ("nvml", "simulated: H100 training", "replay: run.jsonl"). */
    String name();

    /** True for the simulation. */
    boolean simulated();

    /** Opens the source and describes its GPUs; throws {@link SourceUnavailableException} with a reason to show. */
    List<GpuInfo> open();

    /** Reads every GPU once. A lost GPU is a reading with state GPU_LOST, never an exception. */
    Snapshot sample(boolean withProcesses);

    /**
     * The source's GPUs when the list changed since {@link #open()} or the last call (a fleet's hosts come and
     * go), else null. Called on the sampler's thread after a sample.
     */
    default List<GpuInfo> gpusChanged() {
        return null;
    }

    /** The driver's version alone ("550.54.15") where the source reads a driver, else null (dcgm-exporter's label). */
    default String driverVersion() {
        return null;
    }

    /** Driver, library and CUDA versions where the source knows them, for About boxes and recordings. */
    default String versions() {
        return "";
    }

    @Override
    void close();
}
