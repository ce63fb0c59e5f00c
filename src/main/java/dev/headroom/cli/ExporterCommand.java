package dev.headroom.cli;

import dev.headroom.common.Durations;
import dev.headroom.common.HeapTrim;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.Sampler;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.telemetry.Sources;
import dev.headroom.telemetry.prometheus.DcgmMetrics;
import dev.headroom.telemetry.prometheus.MetricsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "exporter", sortOptions = false,
        description = {"Serve the GPUs' readings on /metrics for Prometheus, under dcgm-exporter's",
            "metric names, units and labels, so its Grafana dashboard works unchanged.",
            "Credentials are best given in a file, or as a bearer token in the environment",
            "variable " + ExporterCommand.TOKEN_VARIABLE + ", since a command line shows in 'ps'.",
            "Listening beyond loopback without credentials is warned about."})
final class ExporterCommand implements java.util.concurrent.Callable<Integer> {
    static final String TOKEN_VARIABLE = "HEADROOM_EXPORTER_TOKEN";
    /** A credentials file is one line; anything bigger is not one. */
    private static final long MAX_CREDENTIALS_BYTES = 64 << 10;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "nvml",
            description = "nvml (default), simulated[:PRESET[:GPUS]], replay:FILE (as for 'headroom monitor').")
    String source;
    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9400",
            description = "Where to listen (default 127.0.0.1:9400, loopback only; 0.0.0.0:9400 for every interface).")
    String listen;
    @Option(names = "--interval", paramLabel = "DURATION", description = "Sampling interval (default 1s, minimum 100ms).")
    String interval;
    @Option(names = "--token", paramLabel = "TOKEN", description = "Require 'Authorization: Bearer TOKEN'.")
    String token;
    @Option(names = "--token-file", paramLabel = "FILE", description = "As --token, the token read from FILE's first line.")
    Path tokenFile;
    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD", description = "Require HTTP basic authentication.")
    String basic;
    @Option(names = "--basic-auth-file", paramLabel = "FILE",
            description = "As --basic-auth, USER:PASSWORD read from FILE's first line.")
    Path basicFile;
    @Option(names = "--no-hostname", description = "Leave out the hostname label (as dcgm-exporter --no-hostname).")
    boolean noHostname;
    @Option(names = "--hostname-label", paramLabel = "hostname|Hostname",
            description = "The host label's name: hostname (dcgm-exporter 4.x, the default) or Hostname (older releases, for dashboards written for them).")
    String hostnameLabel = DcgmMetrics.HOSTNAME_LABEL;
    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long; default: until Ctrl-C.")
    String duration;
    @Option(names = "--process-metrics", description = "Also serve headroom_process_gpu_memory_bytes and"
            + " headroom_process_sm_utilization per process (labels gpu, UUID, pid, process, user, and container and"
            + " pod where the process's cgroup names them); reads the process lists every tick.")
    boolean processMetrics;
    @Option(names = "--process-metrics-limit", paramLabel = "N", description = "At most N processes get series"
            + " (default " + DcgmMetrics.DEFAULT_PROCESS_SERIES + "); those holding the most memory are kept and"
            + " headroom_process_series_dropped counts the rest.")
    Integer processLimit;

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
            throw usage(e.getMessage());
        }
        if (!hostnameLabel.equals(DcgmMetrics.HOSTNAME_LABEL) && !hostnameLabel.equals(DcgmMetrics.OLDER_HOSTNAME_LABEL)) {
            throw usage("hostname-label = " + dev.headroom.common.Format.echo(hostnameLabel) + ": must be "
                    + DcgmMetrics.HOSTNAME_LABEL + " (dcgm-exporter 4.x) or " + DcgmMetrics.OLDER_HOSTNAME_LABEL
                    + " (older releases)");
        }
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            port = -1;
        }
        if (colon < 1 || port < 0 || port > 65535) {
            throw usage("listen = " + listen + ": must be HOST:PORT with a port between 0 and 65535");
        }
        int given = (token != null ? 1 : 0) + (tokenFile != null ? 1 : 0) + (basic != null ? 1 : 0)
                + (basicFile != null ? 1 : 0);
        if (given > 1) {
            throw usage("--token, --token-file, --basic-auth and --basic-auth-file: choose one");
        }
        if (tokenFile != null) {
            token = firstLine("token-file", tokenFile);
        } else if (basicFile != null) {
            basic = firstLine("basic-auth-file", basicFile);
        } else if (given == 0 && System.getenv(TOKEN_VARIABLE) != null) {
            token = System.getenv(TOKEN_VARIABLE);
            if (token.isBlank()) {
                throw usage(TOKEN_VARIABLE + " is set but empty: give a token, or unset it for no authentication");
            }
        } else if (token != null && token.isBlank()) {
            throw usage("token = '" + token + "': must not be empty (an empty token would refuse every scraper)");
        }
        token = token == null ? null : token.strip();
        if (basic != null && basic.indexOf(':') < 1) {
            throw usage((basicFile != null ? "basic-auth-file = " + basicFile + ": its line" : "basic-auth = "
                    + basic.replaceAll(":.*", ":***")) + ": must be USER:PASSWORD");
        }
        String host = listen.substring(0, colon);
        if (token == null && basic == null && !loopback(host)) {
            err.println("headroom: warning: /metrics on " + listen + " is open to anyone who can reach it; require credentials"
                    + " with --token-file FILE, --basic-auth-file FILE or " + TOKEN_VARIABLE);
        }
        if (processLimit != null && (processLimit < 1 || processLimit > 100_000)) {
            throw usage("process-metrics-limit = " + processLimit + ": must be between 1 and 100000");
        }
        if (processLimit != null && !processMetrics) {
            throw usage("--process-metrics-limit needs --process-metrics");
        }
        GpuSource gpus;
        try {
            gpus = Sources.parse(source);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        List<GpuInfo> infos;
        try {
            infos = gpus.open();
        } catch (SourceUnavailableException e) {
            err.println("headroom: " + e.getMessage());
            return MonitorCommand.EXIT_NO_SOURCE;
        }
        DcgmMetrics metrics = new DcgmMetrics(infos, noHostname ? null : InetAddress.getLocalHost().getHostName(),
                hostnameLabel, gpus.driverVersion());
        if (processMetrics) {
            metrics.processMetrics(processLimit == null ? DcgmMetrics.DEFAULT_PROCESS_SERIES : processLimit);
        }
        StateChanges changes = new StateChanges(err);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "headroom-exporter-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try (gpus) {
            Runnable tick = () -> {
                try {
                    dev.headroom.telemetry.Snapshot snapshot = changes.seen(gpus.sample(processMetrics));
                    List<GpuInfo> joined = gpus.gpusChanged(); // a fleet's new hosts are served from their first tick
                    if (joined != null) {
                        metrics.setGpus(joined);
                    }
                    metrics.update(snapshot);
                } catch (RuntimeException e) { // a failed tick must not end the schedule: the next one tries again
                    err.println("headroom: sampling failed: " + dev.headroom.common.Format.echo(String.valueOf(e.getMessage())));
                    err.flush();
                }
            };
            tick.run(); // the first scrape already has readings
            sampler.scheduleAtFixedRate(tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
            sampler.scheduleAtFixedRate(new HeapTrim(), 10, 10, TimeUnit.SECONDS); // resident memory stays flat
            try (MetricsServer server = new MetricsServer(metrics, host, port, token, basic)) {
                out.printf("serving %d GPU(s) from %s%s on http://%s:%d/metrics%n", infos.size(), gpus.name(),
                        gpus.simulated() ? " (SIMULATED)" : "", host, server.port());
                out.flush();
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                if (durationMillis == null) {
                    stop.await();
                } else {
                    stop.await(durationMillis, TimeUnit.MILLISECONDS);
                }
            } catch (IOException e) {
                err.println("headroom: cannot listen on " + listen + ": " + e.getMessage());
                return 1;
            }
        } finally {
            sampler.shutdownNow();
        }
        return 0;
    }

    /** Says on stderr when a GPU is lost, the driver goes, and when either answers again. */
    private static final class StateChanges {
        private final PrintWriter err;
        private final java.util.Map<Integer, dev.headroom.telemetry.MetricStatus> last = new java.util.HashMap<>();

        StateChanges(PrintWriter err) {
            this.err = err;
        }

        dev.headroom.telemetry.Snapshot seen(dev.headroom.telemetry.Snapshot snapshot) {
            for (dev.headroom.telemetry.GpuReading reading : snapshot.gpus()) {
                dev.headroom.telemetry.MetricStatus before = last.put(reading.index(), reading.state());
                if (before != null && before != reading.state()) {
                    err.println("headroom: GPU " + reading.index() + ": " + (reading.state()
                            == dev.headroom.telemetry.MetricStatus.OK ? "recovered" : reading.state().description()));
                    err.flush();
                }
            }
            return snapshot;
        }
    }

    /** A credentials file's first line, trimmed; the message names the flag, the file and what is wrong. */
    private String firstLine(String field, Path file) {
        String text;
        try {
            if (Files.isRegularFile(file) && Files.size(file) > MAX_CREDENTIALS_BYTES) {
                throw usage(field + " = " + file + ": is larger than 64 KiB, so not a credentials file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw usage(field + " = " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw usage(field + " = " + file + ": permission denied");
        } catch (IOException e) {
            throw usage(field + " = " + file + ": cannot be read (" + (Files.isDirectory(file) ? "a directory"
                    : "not UTF-8 text or unreadable") + ")");
        }
        String line = text.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            throw usage(field + " = " + file + ": its first line is empty (an empty credential would refuse every"
                    + " scraper)");
        }
        return line;
    }

    /** Whether HOST only reaches this machine; a name that does not resolve is left to the bind to report. */
    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return true;
        }
    }


    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
