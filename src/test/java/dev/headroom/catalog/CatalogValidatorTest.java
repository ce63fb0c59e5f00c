package dev.headroom.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogValidatorTest {
    private final Catalog catalog = new CatalogLoader(null).load();

    @Test
    void aBadFigureIsNamedWithFileEntryFieldValueAndRule() {
        Gpu h100 = catalog.requireGpu("h100-sxm");
        Gpu.Memory memory = h100.memory();
        Gpu broken = withMemory(h100, new Gpu.Memory(memory.bytes(), null, memory.type(), -5.0, memory.ecc()));

        List<Problem> problems = CatalogValidator.validate("gpus.json", broken);

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).message()).isEqualTo(
                "gpus.json: entry \"h100-sxm\": field memory.bandwidthBytesPerSecond = -5.0: "
                        + "must be between 1000000000 and 100000000000000");
    }

    @Test
    void usableMemoryMayNotExceedPhysicalMemory() {
        Gpu h100 = catalog.requireGpu("h100-sxm");
        Gpu.Memory memory = h100.memory();
        Gpu broken = withMemory(h100, new Gpu.Memory(memory.bytes(), memory.bytes() + 1, memory.type(),
                memory.bandwidthBytesPerSecond(), memory.ecc()));

        assertThat(CatalogValidator.validate("gpus.json", broken)).singleElement()
                .extracting(Problem::field).isEqualTo("memory.usableBytes");
    }

    @Test
    void aFigureGroupWithoutASourceIsRejected() {
        Gpu h100 = catalog.requireGpu("h100-sxm");
        List<Source> withoutPrice = h100.sources().stream()
                .map(s -> new Source(s.covers().stream().filter(c -> !c.equals("price")).toList(), s.title(), s.url(), s.date()))
                .toList();
        Gpu unsourced = new Gpu(h100.id(), h100.name(), h100.vendor(), h100.gpuClass(), h100.architecture(),
                h100.releaseYear(), h100.formFactor(), h100.memory(), h100.denseTflops(), h100.sparsity(),
                h100.accumulationNote(), h100.power(), h100.interconnect(), h100.node(), h100.unifiedMemory(), h100.price(), h100.notes(), withoutPrice);

        assertThat(CatalogValidator.validate("gpus.json", unsourced)).extracting(Problem::message)
                .anySatisfy(m -> assertThat(m).contains("no source covers the 'price' figures"));
    }

    @Test
    void aParameterCountThatDisagreesWithTheArchitectureMustBeExplained() {
        Model llama = catalog.requireModel("llama-3.1-8b");
        Model wrong = new Model(llama.id(), llama.name(), llama.family(), llama.huggingFaceId(), llama.architecture(),
                9_000_000_000L, null, null, null, llama.sources());

        assertThat(CatalogValidator.validate("models.json", wrong)).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("publishedParameters");
            assertThat(p.value()).isEqualTo(9_000_000_000L);
            assertThat(p.rule()).contains("8,030,261,248 derived").contains("parameterNote");
        });

        Model explained = new Model(llama.id(), llama.name(), llama.family(), llama.huggingFaceId(),
                llama.architecture(), 9_000_000_000L, null, "published figure counts a vision tower", null,
                llama.sources());
        assertThat(CatalogValidator.validate("models.json", explained)).isEmpty();
    }

    @Test
    void kvHeadsMustDivideAttentionHeads() {
        Model llama = catalog.requireModel("llama-3.1-8b");
        ModelArchitecture a = llama.architecture();
        ModelArchitecture odd = new ModelArchitecture(a.layers(), a.hiddenSize(), a.attentionHeads(), 7, a.headDim(),
                a.ffnSize(), a.ffnKind(), a.vocabSize(), a.tiedEmbeddings(), a.maxContextTokens(),
                a.positionEmbedding(), a.learnedPositions(), a.norm(), a.normsPerLayer(), a.attentionBias(),
                a.outputProjectionBias(), a.mlpBias(), a.layerPattern(), a.moe(), a.mla(), null, null, null, null, null,
                null, null, null);
        Model broken = new Model(llama.id(), llama.name(), llama.family(), null, odd, null, null, null, null,
                llama.sources());

        assertThat(CatalogValidator.validate("models.json", broken)).extracting(Problem::message)
                .containsExactly("models.json: entry \"llama-3.1-8b\": field architecture.kvHeads = 7: "
                        + "must divide architecture.attentionHeads (32)");
    }

    @Test
    void anOfferWhosePerGpuPriceDoesNotAddUpIsRejected() {
        CloudOffer offer = catalog.offer("aws-p5.48xlarge-on-demand").orElseThrow();
        CloudOffer wrong = new CloudOffer(offer.id(), offer.provider(), offer.instanceType(), offer.gpuId(), 8,
                55.04, 55.04, offer.pricing(), offer.region(), "2026-13-01", offer.sources());

        assertThat(CatalogValidator.validate("cloud-offers.json", wrong)).extracting(Problem::field)
                .containsExactlyInAnyOrder("gpuHourUsd", "date");
    }

    private static Gpu withMemory(Gpu g, Gpu.Memory memory) {
        return new Gpu(g.id(), g.name(), g.vendor(), g.gpuClass(), g.architecture(), g.releaseYear(), g.formFactor(),
                memory, g.denseTflops(), g.sparsity(), g.accumulationNote(), g.power(), g.interconnect(), g.node(), g.unifiedMemory(), g.price(),
                g.notes(), g.sources());
    }
}
