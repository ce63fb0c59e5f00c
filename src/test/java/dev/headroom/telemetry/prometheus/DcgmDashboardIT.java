package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.SharedFixtures;
import dev.headroom.telemetry.nvml.FakeNvmlAccess;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dcgm-exporter's own Grafana dashboard (../shared/fixtures/dcgm, published as dashboard 12239) against the real
 * Debian Prometheus scraping 'headroom exporter' on a fake 8-GPU HGX node: every template variable resolves, and
 * every panel's expression, with the variables set to All the way Grafana expands them, answers with one series
 * per GPU (one for the aggregates). And 'promtool check metrics' on a scrape finds nothing but what
 * dcgm-exporter's own names and labels draw.
 */
class DcgmDashboardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int GPUS = 8;

    @TempDir
    Path folder;

    @Test
    void everyPanelOfTheDcgmExporterDashboardAnswersForEachOfEightGpus() throws Exception {
        Path dashboardFile = SharedFixtures.dcgm("dcgm-exporter-dashboard.json");
        Path counters = SharedFixtures.dcgm("default-counters.csv");
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(ScrapedExporter.PROMETHEUS) && Files.isExecutable(promtool),
                "the Debian prometheus package is not installed (.ci/run installs it)");
        JsonNode dashboard = JSON.readTree(dashboardFile.toFile());
        try (ScrapedExporter run = ScrapedExporter.start(folder, FakeNvmlAccess.scenario("eight-h100.scenario"),
                "gpu-metrics", "--process-metrics")) {
            int exporterPort = run.exporterPort;
            int port = run.prometheusPort;
            URI api = URI.create("http://127.0.0.1:" + port + "/api/v1/");

            long deadline = System.currentTimeMillis() + 90_000;
            while (series(api, "count(DCGM_FI_PROF_PIPE_TENSOR_ACTIVE)").size() != 1
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(500); // Prometheus starting, or no scrape yet
            }

            Map<String, List<String>> variables = new LinkedHashMap<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    variables.put(variable.path("name").asText(), labelValues(api, variable.path("query").asText()));
                }
            }
            assertThat(variables.get("gpu")).as("gpu = label_values(...)\n" + run.logs())
                    .containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");
            assertThat(variables.get("instance")).containsExactly("127.0.0.1:" + exporterPort);

            Map<String, Integer> answers = new LinkedHashMap<>();
            Map<String, Integer> expected = new LinkedHashMap<>();
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = expandAll(target.path("expr").asText(), variables);
                    boolean aggregate = expr.matches("^\\s*(avg|sum|max|min|count)\\s*\\(.*");
                    answers.put(panel.path("title").asText(), series(api, expr).size());
                    expected.put(panel.path("title").asText(), aggregate ? 1 : GPUS);
                }
            }
            assertThat(answers).as("series per panel").hasSize(8).isEqualTo(expected);

            // promtool's lint: dcgm-exporter's own camelCase labels (modelName) and its counters' names, which keep
            // no _total suffix (DCGM_FI_DEV_PCIE_REPLAY_COUNTER even names its type), are the contract; nothing else.
            String scrape = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + exporterPort
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            // Its fields typed counter, the enabled and the commented-out (the ECC totals Headroom also serves).
            java.util.regex.Pattern counter = java.util.regex.Pattern.compile("^#?\\s*(DCGM_\\w+)\\s*,\\s*counter\\s*,.*");
            Set<String> dcgmCounters = Files.readAllLines(counters).stream().map(counter::matcher)
                    .filter(java.util.regex.Matcher::matches).map(m -> m.group(1)).collect(Collectors.toSet());
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                    .start();
            check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String lint = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lint.lines().filter(line -> !line.isBlank())).as(lint).allSatisfy(line -> {
                String metric = line.split(" ")[0];
                boolean camelLabels = line.endsWith("label names should be written in 'snake_case' not 'camelCase'");
                boolean dcgmCounterName = dcgmCounters.contains(metric)
                        && (line.endsWith("counter metrics should have \"_total\" suffix")
                        || line.endsWith("metric name should not include type 'counter'"));
                assertThat(camelLabels || dcgmCounterName).as(line).isTrue();
            });
            assertThat(scrape).contains("headroom_process_gpu_memory_bytes{");
        }
    }

    /** Grafana's All for a multi-value variable without a custom all value: the values as a regex alternation. */
    private static String expandAll(String expr, Map<String, List<String>> variables) {
        for (Map.Entry<String, List<String>> variable : variables.entrySet()) {
            String all = "(" + variable.getValue().stream().map(v -> v.replaceAll("([.\\\\+*?\\[^\\]$(){}=!<>|:-])",
                    "\\\\\\\\$1")).collect(Collectors.joining("|")) + ")";
            expr = expr.replace("$" + variable.getKey(), all);
        }
        return expr;
    }

    /** A label_values(METRIC, LABEL) template query through the label-values API, as Grafana runs it. */
    private static List<String> labelValues(URI api, String query) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)").matcher(query);
        assertThat(m.matches()).as(query).isTrue();
        JsonNode answer = get(api.resolve("label/" + m.group(2) + "/values?match[]="
                + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8)));
        List<String> values = new ArrayList<>();
        answer.path("data").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<JsonNode> series(URI api, String expr) throws Exception {
        JsonNode answer = get(api.resolve("query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)));
        List<JsonNode> result = new ArrayList<>();
        answer.path("data").path("result").forEach(result::add);
        return result;
    }

    private static JsonNode get(URI uri) throws Exception {
        try {
            return JSON.readTree(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
        } catch (java.io.IOException notYet) {
            return JSON.createObjectNode(); // Prometheus not listening yet
        }
    }
}
