package dev.headroom.telemetry;

import dev.headroom.telemetry.nvml.NvmlSource;
import java.nio.file.Path;

/**
 * Builds a source from its command-line spelling: nvml, simulated[:h100-training|rtx-4090-inference[:N]], replay:FILE,
 * prometheus:URL.
 */
public final class Sources {
    private Sources() {
    }

    public static GpuSource parse(String spec) {
        if (spec == null || spec.equals("nvml")) {
            return new NvmlSource();
        }
        if (spec.startsWith("simulated")) {
            return SimulatedSource.parse(spec);
        }
        if (spec.startsWith("prometheus:")) { // prometheus:http://host:9090, no credentials (see 'headroom fleet')
            return new dev.headroom.telemetry.prometheus.PrometheusSource(
                    dev.headroom.telemetry.prometheus.PrometheusSource.address(spec.substring("prometheus:".length())),
                    null, null, java.time.Duration.ofSeconds(5));
        }
        if (spec.startsWith("replay:")) {
            return new ReplaySource(Path.of(spec.substring("replay:".length())));
        }
        throw new IllegalArgumentException("source = " + dev.headroom.common.Format.echo(spec) + ": not one of nvml,"
                + " simulated[:PRESET[:GPUS]] (PRESET " + String.join(", ", SimulatedSource.PRESETS) + "; GPUS 1-"
                + SimulatedSource.MAX_GPUS + "), replay:FILE, prometheus:URL");
    }
}
