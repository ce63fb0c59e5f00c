package dev.headroom.common;

/**
 * Gives back heap that a burst of work made the JVM commit. A long-running process (the exporter) allocates a
 * little per request and keeps about 12 MB live, yet the JVM's default heap sizing grows the committed heap to
 * hundreds of MB under sustained scraping and only returns it after a full collection, which a steady load never
 * triggers; resident memory then looks like a leak. A full collection of a heap this small takes milliseconds, so
 * when the committed heap has grown to twice what the last trim left (and past a floor), one is asked for and the
 * collector shrinks the heap to its free-ratio bounds. An idle process commits nothing new and is left alone.
 */
public final class HeapTrim implements Runnable {
    /** Below this the committed heap is left alone: trimming it would cost more than it gives back. */
    static final long FLOOR_BYTES = 48L << 20;

    private final Runtime runtime = Runtime.getRuntime();
    private long committedAfterLastTrim;

    @Override
    public void run() {
        if (shouldTrim(runtime.totalMemory(), committedAfterLastTrim)) {
            System.gc();
            committedAfterLastTrim = runtime.totalMemory();
        }
    }

    /** Past the floor and at least twice what the last trim left (0 before the first). */
    static boolean shouldTrim(long committedBytes, long committedAfterLastTrimBytes) {
        return committedBytes > Math.max(FLOOR_BYTES, 2 * committedAfterLastTrimBytes);
    }
}
