package dev.headroom.telemetry.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.telemetry.GpuInfo;
import dev.headroom.telemetry.GpuReading;
import dev.headroom.telemetry.GpuSource;
import dev.headroom.telemetry.Metric;
import dev.headroom.telemetry.MetricStatus;
import dev.headroom.telemetry.Snapshot;
import dev.headroom.telemetry.SourceUnavailableException;
import dev.headroom.common.TerminalText;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A fleet read through a Prometheus server that scrapes dcgm-exporter (or {@code headroom exporter}): one GPU per
 * (host, gpu) label pair, numbered in host then GPU order. Each sample is one instant PromQL query over the
 * dcgm-exporter metrics. Prometheus down, slow, answering an error or something that is not its JSON: each says
 * so in one line ({@link SourceUnavailableException} on open, {@link #lastError()} and ERROR readings after).
 * The timeout bounds each whole request (connecting, the headers and the body) and the body is capped at
 * {@link CappedBody#LIMIT_BYTES}, so a server that drips its answer or never ends it cannot hold the caller.
 */
public final class PrometheusSource implements GpuSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1 << 20;
    private static final Map<String, Metric> METRICS = Map.ofEntries(
            Map.entry("DCGM_FI_DEV_GPU_UTIL", Metric.UTILIZATION_GPU),
            Map.entry("DCGM_FI_DEV_MEM_COPY_UTIL", Metric.UTILIZATION_MEMORY),
            Map.entry("DCGM_FI_DEV_ENC_UTIL", Metric.ENCODER),
            Map.entry("DCGM_FI_DEV_DEC_UTIL", Metric.DECODER),
            Map.entry("DCGM_FI_DEV_FB_USED", Metric.MEMORY_USED),
            Map.entry("DCGM_FI_DEV_FB_RESERVED", Metric.MEMORY_RESERVED),
            Map.entry("DCGM_FI_DEV_GPU_TEMP", Metric.TEMPERATURE),
            Map.entry("DCGM_FI_DEV_MEMORY_TEMP", Metric.MEMORY_TEMPERATURE),
            Map.entry("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", Metric.PCIE_REPLAYS),
            Map.entry("DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS", Metric.REMAPPED_ROWS_CORRECTABLE),
            Map.entry("DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS", Metric.REMAPPED_ROWS_UNCORRECTABLE),
            Map.entry("DCGM_FI_DEV_ROW_REMAP_FAILURE", Metric.ROW_REMAP_FAILURE),
            Map.entry("DCGM_FI_DEV_POWER_USAGE", Metric.POWER),
            Map.entry("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", Metric.ENERGY),
            Map.entry("DCGM_FI_DEV_SM_CLOCK", Metric.CLOCK_SM),
            Map.entry("DCGM_FI_DEV_MEM_CLOCK", Metric.CLOCK_MEMORY),
            Map.entry("DCGM_FI_PROF_PCIE_TX_BYTES", Metric.PCIE_TX),
            Map.entry("DCGM_FI_PROF_PCIE_RX_BYTES", Metric.PCIE_RX));
    private static final String SAMPLE_QUERY = "{__name__=~\"" + String.join("|", METRICS.keySet())
            + "|DCGM_FI_DEV_FB_FREE\"}";

    /** One GPU of the fleet as Prometheus labels it. */
    record Key(String host, String gpu) {
    }

    private final URI base;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;
    private final List<Key> keys = new ArrayList<>();
    private final List<GpuInfo> infos = new ArrayList<>();
    private volatile List<GpuInfo> changed;
    private volatile String lastError;

    /**
     * @param token bearer token or null; @param basic "user:password" or null
     */
    public PrometheusSource(URI base, String token, String basic, Duration timeout) {
        checkCredentials(token, basic);
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.authorization = token != null ? "Bearer " + token : basic != null
                ? "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)) : null;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /**
     * Credentials as typed: an HTTP header cannot hold a control character (a line break would end it), so one
     * is refused here, naming the field, rather than failing inside the HTTP client on the first request.
     */
    public static void checkCredentials(String token, String basic) {
        if (token != null && (token.isBlank() || token.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("token: must not be empty or hold control characters (line breaks, ESC)");
        }
        if (basic != null && (basic.indexOf(':') < 1 || basic.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("basic-auth: must be USER:PASSWORD without control characters");
        }
    }

    /** A Prometheus address as typed; the message names the field, the value and what is allowed. */
    public static URI address(String text) {
        URI uri;
        try {
            uri = URI.create(text == null ? "" : text.trim());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
            throw new IllegalArgumentException("prometheus = " + text + ": must be an http:// or https:// URL");
        }
        return uri;
    }

    @Override
    public String name() {
        return "prometheus: " + base;
    }

    @Override
    public boolean simulated() {
        return false;
    }

    /** The last query's failure, or null when it answered. */
    public String lastError() {
        return lastError;
    }

    @Override
    public List<GpuInfo> open() {
        List<Series> series;
        try {
            series = query("DCGM_FI_DEV_FB_USED");
        } catch (IOException e) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.FAILED, e.getMessage());
        }
        Map<Key, Series> found = new LinkedHashMap<>();
        for (Series s : series) {
            found.putIfAbsent(key(s.labels()), s);
        }
        if (found.isEmpty()) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.NO_GPUS, base + ": Prometheus answered, but holds no DCGM_FI_DEV_FB_USED series:"
                    + " is it scraping dcgm-exporter or 'headroom exporter'?");
        }
        keys.clear();
        keys.addAll(found.keySet());
        keys.sort(Comparator.comparing(Key::host).thenComparing(k -> new BigInteger("0" + k.gpu().replaceAll("\\D", ""))));
        infos.clear();
        for (int i = 0; i < keys.size(); i++) {
            infos.add(info(i, keys.get(i), found.get(keys.get(i)).labels()));
        }
        changed = null;
        return List.copyOf(infos);
    }

    private static GpuInfo info(int index, Key key, JsonNode labels) {
        return new GpuInfo(index, key.host() + " GPU " + key.gpu() + ": " + labels.path("modelName").asText("unknown model"),
                labels.path("UUID").asText(null), labels.path("pci_bus_id").asText(null), null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /**
     * The fleet's GPUs once a host or GPU has appeared since open or the last call: new ones are added at the end,
     * so the others keep their index; one that goes away stays listed, its readings GPU_LOST (its series went
     * stale), and answers again if it returns.
     */
    @Override
    public List<GpuInfo> gpusChanged() {
        List<GpuInfo> now = changed;
        changed = null;
        return now;
    }

    @Override
    public Snapshot sample(boolean withProcesses) {
        long now = System.currentTimeMillis();
        List<Series> series;
        try {
            series = query(SAMPLE_QUERY);
        } catch (IOException e) {
            List<GpuReading> readings = new ArrayList<>();
            int known;
            synchronized (this) {
                known = keys.size();
            }
            for (int i = 0; i < known; i++) {
                readings.add(GpuReading.unavailable(i, MetricStatus.ERROR));
            }
            return new Snapshot(now, name(), false, readings);
        }
        List<Point> points = new ArrayList<>();
        for (Series s : series) {
            if (!s.values().isEmpty()) {
                points.add(new Point(s.labels(), s.values().get(s.values().size() - 1))); // a matrix: its latest
            }
        }
        return snapshot(now, points);
    }

    /**
     * The fleet's past from Prometheus's own storage, one snapshot per {@code step}, oldest first: what the
     * Monitor charts show before the first live sample. Throws with the line to show.
     */
    public List<Snapshot> history(Duration back, Duration step) throws IOException {
        long end = (System.currentTimeMillis() + 999) / 1000; // rounded up: a sample of this second is included
        long start = end - back.toSeconds();
        List<Series> series = query("api/v1/query_range", SAMPLE_QUERY, "&start=" + start + "&end=" + end
                + "&step=" + Math.max(1, step.toSeconds()));
        java.util.TreeMap<Long, List<Point>> byTime = new java.util.TreeMap<>();
        for (Series s : series) {
            for (JsonNode value : s.values()) {
                long millis = Math.round(value.path(0).asDouble() * 1000);
                byTime.computeIfAbsent(millis, t -> new ArrayList<>()).add(new Point(s.labels(), value));
            }
        }
        List<Snapshot> snapshots = new ArrayList<>();
        byTime.forEach((millis, points) -> snapshots.add(snapshot(millis, points)));
        return snapshots;
    }

    /** One series' value at one time: its labels and Prometheus's [time, "value"] pair. */
    private record Point(JsonNode labels, JsonNode value) {
    }

    /** One series of an answer: its labels and its [time, "value"] pairs (one for a vector, any for a matrix). */
    record Series(JsonNode labels, List<JsonNode> values) {
    }

    /** A GPU first seen after open: it joins at the end, and the Monitor is told at its next tick. */
    private synchronized int appeared(JsonNode labels) {
        Key key = key(labels);
        keys.add(key);
        infos.add(info(keys.size() - 1, key, labels));
        changed = List.copyOf(infos);
        return keys.size() - 1;
    }

    private Snapshot snapshot(long millis, List<Point> series) {
        List<Key> keys;
        synchronized (this) {
            for (Point s : series) {
                // A GPU is known by its framebuffer series, as at open.
                if (s.labels().path("__name__").asText().equals("DCGM_FI_DEV_FB_USED")
                        && !this.keys.contains(key(s.labels()))) {
                    appeared(s.labels());
                }
            }
            keys = List.copyOf(this.keys); // history() and sample() may run at once: each works on its copy
        }
        List<GpuReading> readings = new ArrayList<>();
        int metrics = Metric.all().length;
        double[][] values = new double[keys.size()][metrics];
        double[] free = new double[keys.size()];
        boolean[] seen = new boolean[keys.size()];
        for (double[] row : values) {
            Arrays.fill(row, Double.NaN);
        }
        Arrays.fill(free, Double.NaN);
        for (Point s : series) {
            int index = keys.indexOf(key(s.labels()));
            if (index < 0) {
                continue; // a series without a framebuffer series for its GPU
            }
            String name = s.labels().path("__name__").asText();
            double value = sampleValue(s.value().path(1).asText(""));
            seen[index] = true;
            if (name.equals("DCGM_FI_DEV_FB_FREE")) {
                free[index] = value * MIB;
                continue;
            }
            Metric metric = METRICS.get(name);
            values[index][metric.ordinal()] = switch (metric) {
                case MEMORY_USED, MEMORY_RESERVED -> value * MIB;
                case ENERGY -> value / 1000; // mJ to J
                default -> value;
            };
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!seen[i]) {
                readings.add(GpuReading.unavailable(i, MetricStatus.GPU_LOST)); // its series went stale
                continue;
            }
            double[] v = values[i];
            double reserved = Double.isNaN(v[Metric.MEMORY_RESERVED.ordinal()]) ? 0 : v[Metric.MEMORY_RESERVED.ordinal()];
            v[Metric.MEMORY_TOTAL.ordinal()] = v[Metric.MEMORY_USED.ordinal()] + free[i] + reserved;
            MetricStatus[] status = new MetricStatus[metrics];
            for (int m = 0; m < metrics; m++) {
                status[m] = Double.isNaN(v[m]) ? MetricStatus.NOT_SUPPORTED : MetricStatus.OK;
            }
            readings.add(new GpuReading(i, MetricStatus.OK, v, status, 0, null));
        }
        return new Snapshot(millis, name(), false, readings);
    }

    /**
     * A sample value as Prometheus writes it: a decimal, or "+Inf", "-Inf" and "NaN". Anything not finite (or not a
     * number at all) is no reading: shown as n/a, never as a figure.
     */
    static double sampleValue(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN; // "+Inf", "-Inf" (Java spells them Infinity) or garbage
        }
        return Double.isFinite(value) ? value : Double.NaN;
    }

    private static Key key(JsonNode labels) {
        String host = labels.path("hostname").asText(labels.path("Hostname").asText(labels.path("instance").asText("")));
        return new Key(host, labels.path("gpu").asText(""));
    }

    /** An instant query's series; every failure is an IOException whose message is the line to show. */
    List<Series> query(String promql) throws IOException {
        return query("api/v1/query", promql, "");
    }

    private List<Series> query(String path, String promql, String parameters) throws IOException {
        URI uri = base.resolve(path + "?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + parameters);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = send(request.build());
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw fail(base + ": HTTP " + response.statusCode() + ", and the answer is not Prometheus JSON");
        }
        if (body == null || !body.isObject()) {
            throw fail(base + ": HTTP " + response.statusCode() + ", and the answer is not Prometheus JSON");
        }
        if (!"success".equals(body.path("status").asText())) {
            throw fail(base + ": Prometheus answered HTTP " + response.statusCode() + ": "
                    + TerminalText.clean(body.path("errorType").asText("error")) + ": "
                    + TerminalText.clean(body.path("error").asText("no reason given")));
        }
        JsonNode result = body.path("data").path("result");
        String type = body.path("data").path("resultType").asText("");
        if (!result.isArray()) {
            throw fail(base + ": the answer has no data.result");
        }
        List<Series> series = new ArrayList<>();
        switch (type) {
            case "vector" -> result.forEach(s -> series.add(new Series(s.path("metric"), List.of(s.path("value")))));
            case "matrix" -> result.forEach(s -> {
                List<JsonNode> values = new ArrayList<>();
                s.path("values").forEach(values::add);
                series.add(new Series(s.path("metric"), values));
            });
            default -> throw fail(base + ": the answer is a " + (type.isEmpty() ? "result without a type"
                    : TerminalText.clean(type)) + ", not series by GPU (a vector or a matrix)");
        }
        lastError = null;
        return series;
    }

    /**
     * Sends with one deadline for the whole exchange: the client's own request timeout stops at the headers, so
     * a body that drips or never ends is bounded here, and cancelled on expiry.
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> new CappedBody());
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw fail(base + ": Prometheus did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw fail(base + ": interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof HttpTimeoutException || cause instanceof ConnectException
                    || cause instanceof CappedBody.TooLarge) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof HttpTimeoutException) {
                throw fail(base + ": Prometheus did not answer within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof ConnectException) {
                throw fail(base + ": Prometheus is not reachable (connection refused)");
            }
            if (cause instanceof CappedBody.TooLarge) {
                throw fail(base + ": the answer is larger than " + (CappedBody.LIMIT_BYTES >> 20)
                        + " MiB: is this a Prometheus server?");
            }
            String reason = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
            throw fail(base + ": Prometheus is not reachable (" + TerminalText.clean(reason) + ")");
        }
    }

    private IOException fail(String message) {
        lastError = message;
        return new IOException(message);
    }

    @Override
    public void close() {
        // HttpClient holds no connection worth closing on JDK 17
    }
}
