package dev.headroom.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.common.Durations;
import dev.headroom.common.Format;
import dev.headroom.common.Ranges;
import dev.headroom.common.RefusedTargetException;
import dev.headroom.common.TerminalText;
import dev.headroom.telemetry.AlertEngine;
import dev.headroom.telemetry.AlertEvent;
import dev.headroom.telemetry.AlertRule;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuProcess;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.Recording;
import dev.headroom.telemetry.ReplaySource;
import dev.headroom.telemetry.Sampler;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.telemetry.Sources;
import dev.headroom.telemetry.ThrottleReason;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "monitor", sortOptions = false,
        description = {"Watch the GPUs: a live table, one JSON snapshot, or a recording.",
            "Exit status 3 when the source cannot start (no NVIDIA driver: try --source simulated)."})
final class MonitorCommand implements java.util.concurrent.Callable<Integer> {
    static final int EXIT_NO_SOURCE = 3;
    /** Replay speeds: a hundredth to a thousand times real time; ticks are clamped to 100ms apart anyway. */
    static final double MIN_SPEED = 0.01;
    static final double MAX_SPEED = 1000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "nvml",
            description = "nvml (default), simulated[:h100-training|h100-inference|rtx-4090-training|rtx-4090-inference[:GPUS]], replay:FILE, prometheus:URL")
    String source;
    @Option(names = "--once", description = "Read once and exit.") boolean once;
    @Option(names = "--json", description = "JSON: one object with --once, else one line per tick.") boolean json;
    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Sampling interval, e.g. 500ms, 1s, 2s (minimum 100ms); default 1s, or the recorded interval for a replay.")
    String interval;
    @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
            description = "Replay only: play the recording this many times faster (ticks no closer than 100ms).")
    double speed;
    @Option(names = "--record", paramLabel = "FILE", description = {"Append every tick to this recording (JSON lines).",
        "An existing file must be a recording of the same source, GPUs and interval, else nothing is written."})
    Path record;
    @Option(names = "--overwrite", description = "With --record: replace whatever FILE holds with a new recording.")
    boolean overwrite;
    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (e.g. 60s, 5m); default: until Ctrl-C.")
    String duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long intervalMillis;
        Long durationMillis;
        try {
            intervalMillis = interval == null ? 1000 : Durations.millis("interval", interval, Sampler.MIN_INTERVAL_MILLIS, Durations.MAX_MILLIS);
            durationMillis = duration == null ? null : Durations.millis("duration", duration);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new CommandLine.ParameterException(spec.commandLine(), Ranges.outside("speed", speed, MIN_SPEED,
                    MAX_SPEED));
        }
        GpuSource gpus;
        try {
            gpus = Sources.parse(source);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (overwrite && record == null) {
            err.println("headroom: warning: --overwrite applies to --record FILE; without it nothing is written");
        }
        List<GpuInfo> infos;
        try {
            infos = gpus.open();
        } catch (SourceUnavailableException e) {
            err.println("headroom: " + e.getMessage());
            if (source.equals("nvml")) {
                err.println("headroom: to try the monitor without a GPU: headroom monitor --source simulated");
            }
            return EXIT_NO_SOURCE;
        }
        if (gpus instanceof ReplaySource replay && interval == null) {
            intervalMillis = Math.max(Sampler.MIN_INTERVAL_MILLIS, Math.round(replay.recordedIntervalMillis() / speed));
            if (durationMillis == null) {
                durationMillis = intervalMillis * replay.contents().ticks().size();
            }
        }
        try (gpus) {
            if (once) {
                Snapshot snapshot = gpus.sample(true);
                if (json) {
                    out.println(Json.write(snapshotJson(gpus, infos, snapshot)));
                } else {
                    table(out, gpus, infos, snapshot);
                }
                return 0;
            }
            return watch(gpus, infos, intervalMillis, durationMillis, out, err);
        }
    }

    private int watch(GpuSource gpus, List<GpuInfo> infos, long intervalMillis, Long durationMillis, PrintWriter out,
                      PrintWriter err) throws IOException, InterruptedException {
        Recording.Writer recorder;
        try {
            recorder = record == null ? null : new Recording.Writer(record, gpus, infos, intervalMillis, overwrite);
        } catch (RefusedTargetException e) {
            err.println("headroom: --record " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        AlertEngine alerts = new AlertEngine(AlertRule.defaults(), infos);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<IOException> failure = new AtomicReference<>();
        boolean terminal = System.console() != null && !json;
        Sampler sampler = new Sampler(gpus, intervalMillis, Math.max(intervalMillis, 5000), new Sampler.Listener() {
            @Override
            public void onSnapshot(Snapshot snapshot) {
                try {
                    if (recorder != null) {
                        recorder.append(snapshot);
                    }
                } catch (IOException e) {
                    failure.set(e);
                    done.countDown();
                }
                synchronized (out) {
                    if (json) {
                        out.println(Json.mapper().valueToTree(snapshotJson(gpus, infos, snapshot)).toString());
                    } else {
                        // One write per tick: the table is built first, so the terminal gets one system call, not one
                        // per line (the writer flushes at each line end).
                        java.io.StringWriter screen = new java.io.StringWriter(4096);
                        PrintWriter frame = new PrintWriter(screen);
                        if (terminal) {
                            frame.print("\033[H\033[2J");
                        }
                        table(frame, gpus, infos, snapshot);
                        frame.flush();
                        out.print(screen);
                    }
                    for (AlertEvent event : alerts.evaluate(snapshot)) {
                        err.printf(Locale.ROOT, "%s GPU %d %s: %s (%s)%n", event.raised() ? "ALERT" : "cleared",
                                event.gpu(), event.severity(), event.rule(), event.detail());
                    }
                    out.flush();
                    err.flush();
                }
            }

            @Override
            public void onStall(long millis) {
                err.printf(Locale.ROOT, "headroom: the %s source has not answered for %d ms%n", gpus.name(), millis);
                err.flush();
            }

            @Override
            public void onError(RuntimeException error) {
                err.println("headroom: sampling failed: " + error.getMessage());
                err.flush();
            }
        });
        Thread stop = new Thread(done::countDown, "headroom-monitor-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        sampler.start();
        try {
            if (durationMillis == null) {
                done.await();
            } else {
                done.await(durationMillis, TimeUnit.MILLISECONDS);
            }
        } finally {
            sampler.close();
            if (recorder != null) {
                recorder.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (failure.get() != null) {
            err.println("headroom: cannot write the recording " + record + ": " + failure.get().getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        return 0;
    }

    static ObjectNode snapshotJson(GpuSource source, List<GpuInfo> infos, Snapshot snapshot) {
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("source", snapshot.source());
        root.put("simulated", snapshot.simulated());
        root.put("versions", source.versions());
        root.put("time", snapshot.epochMillis());
        ArrayNode gpus = root.putArray("gpus");
        for (GpuReading reading : snapshot.gpus()) {
            ObjectNode gpu = gpus.addObject();
            GpuInfo info = reading.index() < infos.size() ? infos.get(reading.index()) : null;
            gpu.put("index", reading.index());
            gpu.set("info", Json.mapper().valueToTree(info));
            gpu.put("state", reading.state().name());
            ObjectNode metrics = gpu.putObject("metrics");
            for (Metric metric : Metric.all()) {
                ObjectNode m = metrics.putObject(metric.key());
                if (reading.has(metric)) {
                    m.put("value", reading.value(metric));
                    m.put("unit", metric.unit());
                } else {
                    m.putNull("value");
                    m.put("status", reading.status(metric).name());
                    m.put("reason", reading.status(metric).description());
                }
            }
            ArrayNode reasons = gpu.putArray("throttleReasons");
            reading.throttleReasons().forEach(r -> reasons.add(r.key()));
            if (reading.processes() != null) {
                gpu.set("processes", Json.mapper().valueToTree(reading.processes()));
            }
        }
        return root;
    }

    /** The reading's local time of day, as %tT writes it. */
    private static final java.time.format.DateTimeFormatter CLOCK =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(java.time.ZoneId.systemDefault());

    static void table(PrintWriter out, GpuSource source, List<GpuInfo> infos, Snapshot snapshot) {
        // Written without String.format, as the cells are: the table is redrawn every tick (Format.fixed says why)
        out.println(TerminalText.clean(source.name()) + (snapshot.simulated() ? " (SIMULATED)" : "") + "  "
                + TerminalText.clean(source.versions()) + "  " + CLOCK.format(java.time.Instant.ofEpochMilli(snapshot.epochMillis())));
        TextTable table = new TextTable("GPU", "NAME", "UTIL", "MEMORY", "TEMP", "POWER", "SM MHZ", "FAN", "P",
                "THROTTLE").alignRight(2, 3, 4, 5, 6, 7);
        for (GpuReading r : snapshot.gpus()) {
            GpuInfo info = r.index() < infos.size() ? infos.get(r.index()) : null;
            String name = info == null ? "?" : info.name();
            if (r.state() != dev.headroom.telemetry.MetricStatus.OK) {
                table.add(r.index(), name, r.state().description(), "", "", "", "", "", "", "");
                continue;
            }
            String memory = r.has(Metric.MEMORY_USED) && r.has(Metric.MEMORY_TOTAL)
                    ? Format.fixed(r.value(Metric.MEMORY_USED) / Format.GIB, 1) + "/"
                            + Format.fixed(r.value(Metric.MEMORY_TOTAL) / Format.GIB, 1) + " GiB" : "n/a";
            String power = r.has(Metric.POWER) ? Format.fixed(r.value(Metric.POWER), 0) + "/"
                    + (r.has(Metric.POWER_LIMIT) ? Format.fixed(r.value(Metric.POWER_LIMIT), 0) : "?") + " W" : "n/a";
            table.add(r.index(), name, value(r, Metric.UTILIZATION_GPU, "%"), memory, value(r, Metric.TEMPERATURE, "C"),
                    power, value(r, Metric.CLOCK_SM, ""), value(r, Metric.FAN, "%"),
                    r.has(Metric.PSTATE) ? "P" + (int) r.value(Metric.PSTATE) : "n/a",
                    r.throttleReasons().stream().filter(ThrottleReason::slowsDown).map(ThrottleReason::key)
                            .reduce((a, b) -> a + "," + b).orElse("-"));
        }
        table.print(out);
        for (GpuReading r : snapshot.gpus()) {
            if (r.processes() == null) {
                continue;
            }
            for (GpuProcess p : r.processes()) {
                out.println("  GPU " + r.index() + "  pid " + TextTable.pad(Integer.toString(p.pid()), 8, false) + " "
                        + TextTable.pad(String.valueOf(p.kind()), 9, false) + " "
                        + TextTable.pad(p.usedBytes() == null ? "n/a" : Format.fixed(p.usedBytes() / 1048576.0, 0) + " MiB", 10, true)
                        + "  " + TextTable.pad(p.user() == null ? "?" : TerminalText.clean(p.user()), 12, false) + " "
                        + (p.name() == null ? "(not visible here)" : TerminalText.clean(p.name())));
            }
        }
    }

    private static String value(GpuReading r, Metric metric, String unit) {
        return r.has(metric) ? Format.fixed(r.value(metric), 0) + unit : "n/a";
    }
}
