package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'headroom exporter' in a process of its own, as users run it: the JDK server reads its request deadline once
 * per process, when its first server is created, so only a fresh process shows the deadline the exporter sets.
 * Each process is stopped by its PID.
 */
class ExporterProcessTest {
    private static final Pattern SERVING = Pattern.compile("on http://[^:]+:(\\d+)/metrics");

    @TempDir
    Path folder;

    /** A started exporter, its port, and where its standard error goes. */
    private record Exporter(Process process, int port, Path stderr) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Exporter start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "dev.headroom.Main", "exporter",
                "--source", "simulated:h100-training:2"));
        command.addAll(List.of(args));
        Path stderr = folder.resolve("stderr-" + System.nanoTime() + ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().remove("HEADROOM_EXPORTER_TOKEN");
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // "serving 2 GPU(s) ... on http://HOST:PORT/metrics" once it listens
        Matcher port = SERVING.matcher(String.valueOf(line));
        if (!port.find()) {
            process.destroyForcibly();
            throw new AssertionError("no 'serving' line: " + line + "\n" + Files.readString(stderr));
        }
        return new Exporter(process, Integer.parseInt(port.group(1)), stderr);
    }

    private static int status(int port, String authorization) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    @Test
    void aClientThatNeverFinishesItsHeadersIsCutOffAndHangUpsLeaveNoTrace() throws Exception {
        Path tokenFile = folder.resolve("token");
        Files.writeString(tokenFile, "s3cret\n");
        try (Exporter exporter = start(Map.of(), "--listen", "127.0.0.1:0", "--token-file", tokenFile.toString())) {
            assertThat(status(exporter.port(), "Bearer s3cret")).isEqualTo(200);
            assertThat(status(exporter.port(), "Bearer wrong")).isEqualTo(401);

            long start = System.nanoTime();
            try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
                slow.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                slow.setSoTimeout((MetricsServer.REQUEST_SECONDS + 5) * 1000);
                int read;
                try {
                    read = slow.getInputStream().read();
                } catch (SocketTimeoutException stillOpen) {
                    read = -2;
                } catch (IOException reset) {
                    read = -1;
                }
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
                assertThat(read).as("the server closes the connection").isEqualTo(-1);
                assertThat(seconds).isBetween(MetricsServer.REQUEST_SECONDS - 1L, MetricsServer.REQUEST_SECONDS + 4L);
            }

            for (int i = 0; i < 20; i++) { // scrapers that hang up before the answer is read
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), exporter.port())) {
                    socket.setSoLinger(true, 0);
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                }
            }
            assertThat(status(exporter.port(), "Bearer s3cret")).isEqualTo(200);
            exporter.close();
            assertThat(Files.readString(exporter.stderr())).isEmpty();
        }
    }

    @Test
    void itRunsInTheSmallJvmUnderItsOwnPid() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/cmdline")), "Linux only");
        try (Exporter exporter = start(Map.of(), "--listen", "127.0.0.1:0")) {
            // execv kept the PID the test started; the new image carries the lean options before the user's
            String cmdline = Files.readString(Path.of("/proc", Long.toString(exporter.process().pid()), "cmdline"))
                    .replace('\0', ' ');
            assertThat(cmdline).contains("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC")
                    .contains("-Dheadroom.lean.jvm=true").contains("dev.headroom.Main exporter");
            assertThat(status(exporter.port(), null)).isEqualTo(200);
        }
    }

    @Test
    void anOpenBindWithoutCredentialsIsWarnedAboutAndTheTokenComesFromTheEnvironment() throws Exception {
        try (Exporter open = start(Map.of(), "--listen", "0.0.0.0:0", "--duration", "30s")) {
            assertThat(status(open.port(), null)).isEqualTo(200);
            open.close();
            assertThat(Files.readString(open.stderr())).contains("warning: /metrics on 0.0.0.0:0 is open to anyone")
                    .contains("--token-file FILE").hasLineCount(1);
        }
        try (Exporter guarded = start(Map.of("HEADROOM_EXPORTER_TOKEN", "from-env"), "--listen", "127.0.0.1:0")) {
            assertThat(status(guarded.port(), null)).isEqualTo(401);
            assertThat(status(guarded.port(), "Bearer from-env")).isEqualTo(200);
            guarded.close();
            assertThat(Files.readString(guarded.stderr())).isEmpty();
        }
    }
}
