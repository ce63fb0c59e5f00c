package dev.headroom.cli;

import dev.headroom.common.Durations;
import dev.headroom.common.Format;
import dev.headroom.common.TerminalText;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.telemetry.prometheus.PrometheusSource;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fleet", sortOptions = false,
        description = {"Every GPU of a fleet, host by host, read from a Prometheus server that scrapes dcgm-exporter",
            "(or 'headroom exporter'). Exit 3 when Prometheus is down, slow, or answers something else."})
final class FleetCommand implements Callable<Integer> {
    /** The shortest and longest wait for one answer, in milliseconds. */
    static final long MIN_TIMEOUT_MILLIS = 100;
    static final long MAX_TIMEOUT_MILLIS = 600_000;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--prometheus", required = true, paramLabel = "URL", description = "e.g. http://prometheus:9090")
    String url;
    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token for Prometheus.") String token;
    @Option(names = "--basic-auth", paramLabel = "USER:PASSWORD") String basic;
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = {"How long to wait for each whole answer, connecting, headers and body (default 5s,",
                "from 100ms to 10m). Answers above 32 MiB are refused."}) String timeout;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        URI uri;
        try {
            uri = PrometheusSource.address(url);
            PrometheusSource.checkCredentials(token, basic);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        long millis;
        try {
            millis = Durations.millis("timeout", timeout, MIN_TIMEOUT_MILLIS, MAX_TIMEOUT_MILLIS);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrometheusSource source = new PrometheusSource(uri, token, basic, Duration.ofMillis(millis));
        List<GpuInfo> gpus;
        try {
            gpus = source.open();
        } catch (SourceUnavailableException e) {
            err.println("headroom: " + TerminalText.clean(e.getMessage()));
            return MonitorCommand.EXIT_NO_SOURCE;
        }
        Snapshot snapshot = source.sample(false);
        if (source.lastError() != null) {
            err.println("headroom: " + TerminalText.clean(source.lastError()));
            return MonitorCommand.EXIT_NO_SOURCE;
        }
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (GpuInfo gpu : gpus) {
                GpuReading r = snapshot.gpus().get(gpu.index());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("gpu", gpu.name());
                row.put("uuid", gpu.uuid());
                row.put("state", r.state().name());
                for (Metric m : new Metric[] {Metric.UTILIZATION_GPU, Metric.MEMORY_USED, Metric.MEMORY_TOTAL,
                    Metric.TEMPERATURE, Metric.POWER}) {
                    row.put(m.key(), r.has(m) ? r.value(m) : null);
                }
                rows.add(row);
            }
            out.println(Json.write(Map.of("prometheus", uri.toString(), "gpus", rows)));
            return 0;
        }
        out.printf("%-44s %6s %17s %6s %8s%n", "HOST, GPU: MODEL", "UTIL", "MEMORY", "TEMP", "POWER");
        for (GpuInfo gpu : gpus) {
            GpuReading r = snapshot.gpus().get(gpu.index());
            String name = TerminalText.clean(gpu.name()); // host, GPU and model are the server's labels
            if (r.state() != MetricStatus.OK) {
                out.printf("%-44s %s%n", name, r.state().description());
                continue;
            }
            out.printf(Locale.ROOT, "%-44s %6s %17s %6s %8s%n", name, value(r, Metric.UTILIZATION_GPU, "%.0f %%"),
                    r.has(Metric.MEMORY_USED) && r.has(Metric.MEMORY_TOTAL) ? Format.gib((long) r.value(Metric.MEMORY_USED))
                            + " / " + Format.gib((long) r.value(Metric.MEMORY_TOTAL)) : "n/a",
                    value(r, Metric.TEMPERATURE, "%.0f C"), value(r, Metric.POWER, "%.0f W"));
        }
        return 0;
    }

    private static String value(GpuReading r, Metric m, String format) {
        return r.has(m) ? String.format(Locale.ROOT, format, r.value(m)) : "n/a";
    }
}
