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
    private final java.util.concurrent.ScheduledThreadPoolExecutor watchdog;
    private volatile java.util.concurrent.ScheduledFuture<?> watch;
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
        // One check per tick, armed when the tick starts and cancelled (and removed) when it ends: a healthy
        // source never wakes this thread, where a periodic check woke it twice a second for nothing.
        this.watchdog = new java.util.concurrent.ScheduledThreadPoolExecutor(1, daemon("headroom-sampler-watchdog"));
        this.watchdog.setRemoveOnCancelPolicy(true);
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
    }

    /** Reads once, now, on the caller's thread (the CLI's --once). */
    public Snapshot sampleNow() {
        return source.sample(true);
    }

    private void tick() {
        long start = System.currentTimeMillis();
        tickStartedAt.set(start);
        arm(intervalMillis + 1);
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
            java.util.concurrent.ScheduledFuture<?> armed = watch;
            if (armed != null) {
                armed.cancel(false);
            }
        }
    }

    private void arm(long delayMillis) {
        try {
            watch = watchdog.schedule(this::watch, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: no more checks
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
        // The next look: when this tick will have run twice as long as it had when last reported (or past the
        // interval, for a check that came early).
        long due = reportedStall == 0 ? intervalMillis + 1 : 2 * reportedStall + 1;
        arm(Math.max(1, due - running));
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
