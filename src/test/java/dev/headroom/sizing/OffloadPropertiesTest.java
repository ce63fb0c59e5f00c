package dev.headroom.sizing;

import static dev.headroom.sizing.Scenarios.CATALOG;
import static dev.headroom.sizing.Scenarios.ENGINE;
import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Moving weights from the GPU to host memory never raises GPU memory and never speeds decode up. */
class OffloadPropertiesTest {

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of(CATALOG.models().keySet().stream()
                .filter(id -> CATALOG.requireModel(id).architecture() != null)
                .filter(id -> CATALOG.requireModel(id).publishedParameters() == null
                        || CATALOG.requireModel(id).publishedParameters() < 150e9)
                .toList());
    }

    @Provide
    Arbitrary<String> gpus() {
        return Arbitraries.of("rtx-4090", "rtx-3060-12gb", "l40s", "h100-pcie", "gb200", "dgx-spark", "apple-m4-max-128gb");
    }

    private static Scenario scenario(String model, String gpu, int batch, Scenario.Offload offload, RuntimeProfile runtime) {
        return new Scenario(Scenario.ModelSpec.catalog(model), Workload.INFERENCE, null,
                new Scenario.Precision(WeightFormat.Q4_K_M, null, null, null), new Scenario.Shape(batch, 1024, 128),
                null, null, new Scenario.Hardware(gpu, 1, null, offload, null), runtime, null, null);
    }

    @Property(tries = 300)
    void fewerGpuLayersNeverRaiseGpuMemoryNorSpeedDecode(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                         @ForAll @IntRange(min = 1, max = 64) int batch,
                                                         @ForAll @IntRange(min = 0, max = 130) int more,
                                                         @ForAll @IntRange(min = 1, max = 40) int moved) {
        int fewer = Math.max(0, more - moved);
        Estimate onGpu = ENGINE.estimate(scenario(model, gpu, batch, new Scenario.Offload(more, null, null, null),
                RuntimeProfile.LLAMA_CPP));
        Estimate onHost = ENGINE.estimate(scenario(model, gpu, batch, new Scenario.Offload(fewer, null, null, null),
                RuntimeProfile.LLAMA_CPP));
        assertThat(onHost.memory().totalBytes()).isLessThanOrEqualTo(onGpu.memory().totalBytes());
        assertThat(onHost.performance().timePerOutputTokenSeconds())
                .isGreaterThanOrEqualTo(onGpu.performance().timePerOutputTokenSeconds() * (1 - 1e-12));
    }

    @Property(tries = 200)
    void moreOffloadedGibNeverRaiseGpuMemoryNorSpeedDecode(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                           @ForAll @IntRange(min = 1, max = 64) int batch,
                                                           @ForAll @IntRange(min = 0, max = 40) int gib,
                                                           @ForAll @IntRange(min = 1, max = 40) int more) {
        if (gpu.startsWith("apple")) {
            return; // vLLM does not run on Metal: the plan is sized with llama.cpp, which has no weight offload
        }
        Estimate less = ENGINE.estimate(scenario(model, gpu, batch,
                new Scenario.Offload(null, (long) gib << 30, null, null), RuntimeProfile.VLLM));
        Estimate most = ENGINE.estimate(scenario(model, gpu, batch,
                new Scenario.Offload(null, (long) (gib + more) << 30, null, null), RuntimeProfile.VLLM));
        assertThat(most.memory().totalBytes()).isLessThanOrEqualTo(less.memory().totalBytes());
        assertThat(most.performance().timePerOutputTokenSeconds())
                .isGreaterThanOrEqualTo(less.performance().timePerOutputTokenSeconds() * (1 - 1e-12));
    }
}
