package dev.headroom.cli;

import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.Sampler;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.telemetry.Sources;
import dev.headroom.telemetry.prometheus.DcgmMetrics;
import dev.headroom.telemetry.prometheus.MetricsServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
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
        description = {"Serve the GPUs' readings on /metrics for Prometheus, under dcgm-exporter's metric names, units",
            "and labels, so dcgm-exporter's Grafana dashboard works unchanged."})
final class ExporterCommand implements java.util.concurrent.Callable<Integer> {
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
    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD", description = "Require HTTP basic authentication.")
    String basic;
    @Option(names = "--no-hostname", description = "Leave out the hostname label (as dcgm-exporter --no-hostname).")
    boolean noHostname;
    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long; default: until Ctrl-C.")
    String duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long intervalMillis = interval == null ? 1000 : millis("interval", interval);
        if (intervalMillis < Sampler.MIN_INTERVAL_MILLIS) {
            throw usage("interval = " + interval + ": must be at least 100ms");
        }
        Long durationMillis = duration == null ? null : millis("duration", duration);
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
        if (token != null && basic != null) {
            throw usage("--token and --basic-auth: choose one");
        }
        if (basic != null && basic.indexOf(':') < 1) {
            throw usage("basic-auth = " + basic.replaceAll(":.*", ":***") + ": must be USER:PASSWORD");
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
        DcgmMetrics metrics = new DcgmMetrics(infos, noHostname ? null : InetAddress.getLocalHost().getHostName());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "headroom-exporter-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try (gpus) {
            metrics.update(gpus.sample(false)); // the first scrape already has readings
            sampler.scheduleAtFixedRate(() -> metrics.update(gpus.sample(false)), intervalMillis, intervalMillis,
                    TimeUnit.MILLISECONDS);
            try (MetricsServer server = new MetricsServer(metrics, listen.substring(0, colon), port, token, basic)) {
                out.printf("serving %d GPU(s) from %s%s on http://%s:%d/metrics%n", infos.size(), gpus.name(),
                        gpus.simulated() ? " (SIMULATED)" : "", listen.substring(0, colon), server.port());
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

    private long millis(String field, String text) {
        try {
            return MonitorCommand.DurationParser.millis(field, text);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
