package dev.headroom.telemetry.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What 'headroom exporter' served on a real H200 (the lent device, 2026-11-26), against nvidia-smi's reading of
 * the same moment: src/test/resources/prometheus/h200-*. Keeps the first real capture and its arithmetic checked.
 */
class H200CaptureTest {
    @Test
    void theRealCaptureAgreesWithNvidiaSmi() throws Exception {
        Map<String, Double> values = new HashMap<>();
        String labels = null;
        for (String line : Files.readAllLines(Path.of("src/test/resources/prometheus/h200-exporter-metrics.txt"))) {
            if (line.startsWith("DCGM_")) {
                values.put(line.substring(0, line.indexOf('{')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                labels = line.substring(line.indexOf('{'), line.indexOf('}') + 1);
            }
        }
        assertThat(labels).contains("gpu=\"0\"", "UUID=\"GPU-", "pci_bus_id=\"", "device=\"nvidia0\"",
                "modelName=\"NVIDIA H200\"", "hostname=\"");
        List<String> smi = Files.readAllLines(Path.of("src/test/resources/prometheus/h200-nvidia-smi.csv"));
        String[] row = smi.get(1).split(",\\s*");
        double totalMib = Double.parseDouble(row[3].replace(" MiB", ""));
        assertThat(values.get("DCGM_FI_DEV_FB_USED") + values.get("DCGM_FI_DEV_FB_FREE")
                + values.get("DCGM_FI_DEV_FB_RESERVED")).isCloseTo(totalMib, within(1.0));
        assertThat(values.get("DCGM_FI_DEV_GPU_TEMP")).isEqualTo(Double.parseDouble(row[5]));
        assertThat(values.get("DCGM_FI_DEV_POWER_USAGE")).isCloseTo(Double.parseDouble(row[6].replace(" W", "")),
                within(1.0));
        assertThat(values.get("DCGM_FI_DEV_SM_CLOCK")).isEqualTo(Double.parseDouble(row[7].replace(" MHz", "")));
    }
}
