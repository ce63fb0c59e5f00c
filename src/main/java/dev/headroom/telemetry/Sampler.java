package dev.headroom.telemetry;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls one source at a fixed rate on a thread of its own and hands each snapshot to a listener. An NVML call can
 * hang on a sick driver: a watchdog on a second thread notices a tick that outlasts the interval and reports it,
 * so whoever listens (the UI) is told instead of waiting. Processes are read at their own, slower interval.
 */
public final class Sampler implements AutoCloseable {
    /** The fastest sampling allowed: NVML's own sample windows are 1/6 s to 1 s. */
    public static final long MIN_INTERVAL_MILLIS = 100;

    /** Receives snapshots and stalls, on the sampler's threads: hand off, do not block. */
    public interface Listener {
        void onSnapshot(Snapshot snapshot);

        /** A tick has been running for {@code millis}; called once per stall, again if it goes on twice as long. */
        default void onStall(long millis) {
        }

        default void onError(RuntimeException error) {
        }
    }

    private final GpuSource source;
    private final long intervalMillis;
    private final long processIntervalMillis;
    private final Listener listener;
    private final ScheduledExecutorService ticks;
    private final ScheduledExecutorService watchdog;
    private final AtomicLong tickStartedAt = new AtomicLong();
    private volatile long lastProcessRead;
    private volatile long reportedStall;

    public Sampler(GpuSource source, long intervalMillis, long processIntervalMillis, Listener listener) {
        if (intervalMillis < MIN_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("interval = " + intervalMillis + " ms: must be at least "
                    + MIN_INTERVAL_MILLIS + " ms");
        }
        this.source = source;
        this.intervalMillis = intervalMillis;
        this.processIntervalMillis = Math.max(intervalMillis, processIntervalMillis);
        this.listener = listener;
        this.ticks = Executors.newSingleThreadScheduledExecutor(daemon("headroom-sampler-" + source.name()));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("headroom-sampler-watchdog"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public void start() {
        ticks.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
        watchdog.scheduleAtFixedRate(this::watch, intervalMillis, Math.max(50, intervalMillis / 2), TimeUnit.MILLISECONDS);
    }

    /** Reads once, now, on the caller's thread (the CLI's --once). */
    public Snapshot sampleNow() {
        return source.sample(true);
    }

    private void tick() {
        long start = System.currentTimeMillis();
        tickStartedAt.set(start);
        try {
            boolean processes = start - lastProcessRead >= processIntervalMillis;
            Snapshot snapshot = source.sample(processes);
            if (processes) {
                lastProcessRead = start;
            }
            listener.onSnapshot(snapshot);
        } catch (RuntimeException e) {
            listener.onError(e);
        } finally {
            tickStartedAt.set(0);
            reportedStall = 0;
        }
    }

    private void watch() {
        long started = tickStartedAt.get();
        if (started == 0) {
            return;
        }
        long running = System.currentTimeMillis() - started;
        if (running > intervalMillis && running > 2 * reportedStall) {
            reportedStall = running;
            listener.onStall(running);
        }
    }

    /**
     * Stops sampling and waits (up to two intervals, at least a second) for a tick in progress, so the source is
     * not closed under it. A tick stuck in a hung call is abandoned: its thread is a daemon.
     */
    @Override
    public void close() {
        ticks.shutdown();
        watchdog.shutdownNow();
        try {
            ticks.awaitTermination(Math.max(1000, 2 * intervalMillis), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ticks.shutdownNow();
    }
}
