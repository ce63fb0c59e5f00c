package dev.headroom.telemetry.prometheus;

import dev.headroom.telemetry.nvml.FakeNvmlAccess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * For the integration tests: 'headroom exporter' run from the jar on the fake NVML library, and the real Debian
 * Prometheus scraping it every second on loopback. Both are child processes; their logs go to the folder.
 */
final class ScrapedExporter implements AutoCloseable {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

    final Process exporter;
    final Process prometheus;
    final int exporterPort;
    final int prometheusPort;
    private final Path folder;

    private ScrapedExporter(Process exporter, Process prometheus, int exporterPort, int prometheusPort, Path folder) {
        this.exporter = exporter;
        this.prometheus = prometheus;
        this.exporterPort = exporterPort;
        this.prometheusPort = prometheusPort;
        this.folder = folder;
    }

    /** Starts both; {@code scenario} is the fake's scenario file, {@code exporterArgs} follow the listen address. */
    static ScrapedExporter start(Path folder, Path scenario, String jobName, String... exporterArgs) throws IOException {
        int exporterPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dheadroom.nvml.library=" + FakeNvmlAccess.library(), "-jar",
                Path.of("target", "headroom.jar").toAbsolutePath().toString(), "exporter", "--listen",
                "127.0.0.1:" + exporterPort, "--interval", "1s"));
        command.addAll(List.of(exporterArgs));
        ProcessBuilder exporter = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("exporter.log").toFile());
        exporter.environment().put("FAKE_NVML_SCENARIO", scenario.toString());
        Process started = exporter.start();
        int port = freePort();
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(jobName, exporterPort));
        Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(folder.resolve("prometheus.log").toFile()).start();
        return new ScrapedExporter(started, prometheus, exporterPort, port, folder);
    }

    /** Both logs, for an assertion's message. */
    String logs() throws IOException {
        return Files.readString(folder.resolve("exporter.log")) + "\n" + Files.readString(folder.resolve("prometheus.log"));
    }

    /** Stops both (SIGTERM, then SIGKILL after 20 s). */
    @Override
    public void close() throws InterruptedException {
        for (Process child : new Process[] {prometheus, exporter}) {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
