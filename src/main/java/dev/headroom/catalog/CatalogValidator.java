package dev.headroom.catalog;

import dev.headroom.common.Format;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules a catalog entry must keep. The same checks run on built-in catalogs (a test keeps them clean),
 * on user catalogs (a broken entry is skipped with a warning) and on imported configs.
 */
public final class CatalogValidator {
    /** Derived and published parameter counts may differ by this much before an entry must say why. */
    public static final double PARAMETER_TOLERANCE = 0.01;

    private static final double MAX_TFLOPS = 1_000_000;
    private static final long MAX_MEMORY_BYTES = 16L << 40; // 16 TiB: far above any single accelerator
    /** A vision tower of a trillion parameters is far beyond any published one (the largest are a few billion). */
    private static final double MAX_VISION_PARAMETERS = 1e12;

    private CatalogValidator() {
    }

    public static List<Problem> validate(String file, Gpu gpu) {
        Rules r = new Rules(file, gpu.id());
        r.id("id", gpu.id());
        r.present("name", gpu.name());
        r.present("vendor", gpu.vendor());
        r.present("gpuClass", gpu.gpuClass());
        r.optionalRange("releaseYear", gpu.releaseYear(), 1990, 2100);
        List<String> groups = new ArrayList<>(List.of("memory", "compute", "power", "interconnect"));

        Gpu.Memory memory = gpu.memory();
        if (r.present("memory", memory)) {
            r.range("memory.bytes", memory.bytes(), 1, MAX_MEMORY_BYTES);
            if (memory.bytes() != null) {
                r.optionalRange("memory.usableBytes", memory.usableBytes(), 1, memory.bytes());
            }
            r.present("memory.type", memory.type());
            r.range("memory.bandwidthBytesPerSecond", memory.bandwidthBytesPerSecond(), 1e9, 1e14);
        }

        Gpu.DenseTflops tflops = gpu.denseTflops();
        if (r.present("denseTflops", tflops)) {
            r.optionalRange("denseTflops.fp32", tflops.fp32(), 0.001, MAX_TFLOPS); // Gaudi 3 publishes none
            if (tflops.fp16() == null && tflops.bf16() == null) {
                r.fail("denseTflops.fp16", null, "a GPU needs an fp16 or a bf16 figure");
            }
            r.optionalRange("denseTflops.tf32", tflops.tf32(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.fp16", tflops.fp16(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.bf16", tflops.bf16(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.fp8", tflops.fp8(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.int8", tflops.int8(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.int4", tflops.int4(), 0.001, MAX_TFLOPS);
            r.optionalRange("denseTflops.fp4", tflops.fp4(), 0.001, MAX_TFLOPS);
        }

        Gpu.Power power = gpu.power();
        if (r.present("power", power)) {
            r.range("power.tdpWatts", power.tdpWatts(), 1, 10_000);
            if (power.tdpWatts() != null) {
                r.optionalRange("power.idleWatts", power.idleWatts(), 0, power.tdpWatts());
            }
            r.optionalRange("power.limitMinWatts", power.limitMinWatts(), 1, 10_000);
            r.optionalRange("power.limitMaxWatts", power.limitMaxWatts(), 1, 10_000);
            if (power.limitMinWatts() != null && power.limitMaxWatts() != null
                    && power.limitMinWatts() > power.limitMaxWatts()) {
                r.fail("power.limitMinWatts", power.limitMinWatts(), "must not exceed power.limitMaxWatts ("
                        + Format.plain(power.limitMaxWatts()) + ")");
            }
        }

        Gpu.Interconnect link = gpu.interconnect();
        if (r.present("interconnect", link)) {
            r.range("interconnect.pcieGeneration", link.pcieGeneration(), 1, 7);
            r.optionalRange("interconnect.pcieLanes", link.pcieLanes(), 1, 32);
            r.optionalRange("interconnect.gpuLinkBytesPerSecond", link.gpuLinkBytesPerSecond(), 1e9, 1e14);
            r.optionalRange("interconnect.hostLinkBytesPerSecond", link.hostLinkBytesPerSecond(), 1e9, 1e14);
        }

        Gpu.Node node = gpu.node();
        if (r.present("node", node)) {
            r.range("node.gpusPerNode", node.gpusPerNode(), 1, 1024);
            if (node.gpusPerNode() != null) {
                r.range("node.domainGpus", node.domainGpus(), 1, node.gpusPerNode());
            }
            r.range("node.nicsPerNode", node.nicsPerNode(), 1, 1024);
            r.id("node.network", node.network());
            if (gpu.gpuClass() != GpuClass.UNIFIED) {
                r.id("node.host", node.host()); // a unified machine's CPU shares its memory: no host of its own
            } else if (node.host() != null) {
                r.fail("node.host", node.host(), "must be null on a unified-memory machine (its CPU shares the memory)");
            }
        }
        validateUnifiedMemory(r, gpu, groups);

        Gpu.Price price = gpu.price();
        if (price != null) {
            groups.add("price");
            r.range("price.usd", price.usd(), 1, 10_000_000);
            r.date("price.date", price.date());
            r.present("price.basis", price.basis());
        }
        r.sources(gpu.sources(), groups);
        return r.problems();
    }

    private static void validateUnifiedMemory(Rules r, Gpu gpu, List<String> groups) {
        Gpu.UnifiedMemory unified = gpu.unifiedMemory();
        if (gpu.gpuClass() != GpuClass.UNIFIED) {
            if (unified != null) {
                r.fail("unifiedMemory", "present", "applies to gpuClass unified only");
            }
            return;
        }
        if (r.present("unifiedMemory", unified)) {
            groups.add("unifiedMemory");
            r.range("unifiedMemory.defaultGpuShare", unified.defaultGpuShare(), 0.05, 1);
            if (unified.defaultGpuShare() != null) {
                r.range("unifiedMemory.maxGpuShare", unified.maxGpuShare(), unified.defaultGpuShare(), 1);
            }
            r.present("unifiedMemory.control", unified.control());
        }
    }

    public static List<Problem> validate(String file, HostPlatform host) {
        Rules r = new Rules(file, host.id());
        r.id("id", host.id());
        r.present("name", host.name());
        r.range("memoryBytes", host.memoryBytes(), 1L << 30, MAX_MEMORY_BYTES * 64);
        r.range("bandwidthBytesPerSecond", host.bandwidthBytesPerSecond(), 1e9, 1e13);
        r.present("memoryType", host.memoryType());
        r.optionalRange("gpusPerHost", host.gpusPerHost(), 1, 1024);
        r.optionalRange("pcieGeneration", host.pcieGeneration(), 1, 7);
        List<String> groups = new ArrayList<>(List.of("memory", "bandwidth"));
        if (host.pcieGeneration() != null) {
            groups.add("pcie");
        }
        r.sources(host.sources(), groups);
        return r.problems();
    }

    public static List<Problem> validate(String file, Network network) {
        Rules r = new Rules(file, network.id());
        r.id("id", network.id());
        r.present("name", network.name());
        r.present("technology", network.technology());
        r.range("bytesPerSecond", network.bytesPerSecond(), 1e8, 1e13);
        r.optionalRange("latencySeconds", network.latencySeconds(), 1e-8, 1e-2);
        List<String> groups = new ArrayList<>(List.of("bandwidth"));
        if (network.latencySeconds() != null) {
            groups.add("latency");
        }
        r.sources(network.sources(), groups);
        return r.problems();
    }

    public static List<Problem> validate(String file, Model model) {
        Rules r = new Rules(file, model.id());
        r.id("id", model.id());
        r.present("name", model.name());
        r.present("family", model.family());
        List<String> groups = new ArrayList<>(List.of("architecture"));
        ModelArchitecture a = model.architecture();
        boolean architectureUsable = r.present("architecture", a) && validateArchitecture(r, a);
        if (model.publishedParameters() != null) {
            groups.add("parameters");
            r.range("publishedParameters", model.publishedParameters(), 1e6, 1e14);
            r.optionalRange("publishedActiveParameters", model.publishedActiveParameters(), 1e6,
                    model.publishedParameters());
            if (architectureUsable && model.publishedParameters() > 0) {
                double error = model.derivationError();
                boolean explained = model.parameterNote() != null && !model.parameterNote().isBlank();
                if (error > PARAMETER_TOLERANCE && !explained) {
                    r.fail("publishedParameters", model.publishedParameters(), String.format(
                            "differs from the %,d derived from the architecture by %.2f %% (more than %.0f %%); "
                                    + "fix the architecture or explain the difference in parameterNote",
                            model.derivedParameters(), error * 100, PARAMETER_TOLERANCE * 100));
                }
                double activeError = model.activeDerivationError();
                if (model.publishedActiveParameters() != null && activeError > PARAMETER_TOLERANCE && !explained) {
                    r.fail("publishedActiveParameters", model.publishedActiveParameters(), String.format(
                            "differs from the %,d active derived from the architecture by %.2f %% (more than %.0f %%);"
                                    + " fix the architecture or explain the difference in parameterNote",
                            model.derivedActiveParameters(), activeError * 100, PARAMETER_TOLERANCE * 100));
                }
            }
        }
        if (model.nativeFormat() != null) {
            groups.add("nativeFormat"); // a label of the sizing engine's formats, parsed (and checked) by planner
        }
        r.sources(model.sources(), groups);
        return r.problems();
    }

    /** @return whether the architecture is complete enough to derive a parameter count */
    static boolean validateArchitecture(Rules r, ModelArchitecture a) {
        int before = r.problems().size();
        r.range("architecture.layers", a.layers(), 1, 1000);
        r.range("architecture.hiddenSize", a.hiddenSize(), 1, 1 << 20);
        r.range("architecture.attentionHeads", a.attentionHeads(), 1, 4096);
        // Checked against the attention heads only where those are usable, so one mistake gives one message.
        Integer heads = r.failed("architecture.attentionHeads") ? null : a.attentionHeads();
        r.range("architecture.kvHeads", a.kvHeads(), 1, 4096);
        if (a.mla() == null && !r.failed("architecture.kvHeads")) {
            kvHeadsDivide(r, "architecture.kvHeads", a.kvHeads(), heads);
        }
        r.range("architecture.headDim", a.headDim(), 1, 4096);
        r.range("architecture.ffnSize", a.ffnSize(), 1, 1 << 22);
        r.present("architecture.ffnKind", a.ffnKind());
        r.range("architecture.vocabSize", a.vocabSize(), 1, 1 << 24);
        r.range("architecture.maxContextTokens", a.maxContextTokens(), 1, 1 << 30);
        r.present("architecture.positionEmbedding", a.positionEmbedding());
        if (a.positionEmbedding() == ModelArchitecture.PositionEmbedding.LEARNED) {
            r.range("architecture.learnedPositions", a.learnedPositions(), 1, 1 << 24);
        } else {
            r.optionalRange("architecture.learnedPositions", a.learnedPositions(), 0, 0);
        }
        r.present("architecture.norm", a.norm());
        r.range("architecture.normsPerLayer", a.normsPerLayer(), 1, 8);
        validatePattern(r, a);
        ModelArchitecture.Moe moe = a.moe();
        if (moe != null) {
            r.range("architecture.moe.experts", moe.experts(), 2, 1 << 16);
            r.range("architecture.moe.activeExperts", moe.activeExperts(), 1,
                    moe.experts() == null || r.failed("architecture.moe.experts") ? 1 << 16 : moe.experts());
            r.optionalRange("architecture.moe.sharedExperts", moe.sharedExperts(), 0, 64);
            r.range("architecture.moe.expertFfnSize", moe.expertFfnSize(), 1, 1 << 22);
            if (a.layers() != null) {
                r.optionalRange("architecture.moe.denseLayers", moe.denseLayers(), 0, a.layers() - 1);
                r.optionalRange("architecture.moe.layerStep", moe.layerStep(), 1, a.layers());
            }
            r.optionalRange("architecture.moe.sharedExpertFfnSize", moe.sharedExpertFfnSize(), 1, 1 << 22);
            if (a.layers() != null) {
                r.optionalRange("architecture.moe.hashRoutedLayers", moe.hashRoutedLayers(), 0, a.layers());
            }
        }
        ModelArchitecture.Recurrent recurrent = a.recurrent();
        if (recurrent != null) {
            r.range("architecture.recurrent.keyHeads", recurrent.keyHeads(), 1, 4096);
            r.range("architecture.recurrent.valueHeads", recurrent.valueHeads(), 1, 4096);
            r.range("architecture.recurrent.keyHeadDim", recurrent.keyHeadDim(), 1, 4096);
            r.range("architecture.recurrent.valueHeadDim", recurrent.valueHeadDim(), 1, 4096);
            r.range("architecture.recurrent.convKernel", recurrent.convKernel(), 1, 64);
            if (recurrent.stateBytes() != null && recurrent.stateBytes() != 2 && recurrent.stateBytes() != 4) {
                r.fail("architecture.recurrent.stateBytes", recurrent.stateBytes(),
                        "must be 2 (bfloat16, float16) or 4 (float32), or null for the model's dtype");
            }
        }
        ModelArchitecture.SparseAttention sparse = a.sparseAttention();
        if (sparse != null) {
            r.range("architecture.sparseAttention.indexHeads", sparse.indexHeads(), 1, 4096);
            r.range("architecture.sparseAttention.indexHeadDim", sparse.indexHeadDim(), 1, 4096);
            r.range("architecture.sparseAttention.topK", sparse.topK(), 1, 1 << 24);
        }
        r.optionalRange("architecture.mtpLayers", a.mtpLayers(), 0, 16);
        r.optionalRange("architecture.hyperConnections", a.hyperConnections(), 1, 64);
        r.optionalRange("architecture.queryLoraRank", a.queryLoraRank(), 1, 1 << 16);
        ModelArchitecture.OutputLora outputLora = a.outputLora();
        if (outputLora != null) {
            r.range("architecture.outputLora.groups", outputLora.groups(), 1, heads == null ? 4096 : heads);
            if (heads != null && !r.failed("architecture.outputLora.groups") && heads % outputLora.groups() != 0) {
                r.fail("architecture.outputLora.groups", outputLora.groups(),
                        "must divide architecture.attentionHeads (" + heads + ")");
            }
            r.range("architecture.outputLora.rank", outputLora.rank(), 1, 1 << 16);
        }
        ModelArchitecture.PerLayerEmbedding perLayer = a.perLayerEmbedding();
        if (perLayer != null) {
            r.range("architecture.perLayerEmbedding.vocab", perLayer.vocab(), 1, 1 << 24);
            r.range("architecture.perLayerEmbedding.width", perLayer.width(), 0, 1 << 16);
        }
        r.optionalRange("architecture.visionParameters", a.visionParameters(), 0, MAX_VISION_PARAMETERS);
        ModelArchitecture.Mla mla = a.mla();
        if (mla != null) {
            r.optionalRange("architecture.mla.qLoraRank", mla.qLoraRank(), 0, 1 << 16);
            r.range("architecture.mla.kvLoraRank", mla.kvLoraRank(), 1, 1 << 16);
            r.range("architecture.mla.qkNopeHeadDim", mla.qkNopeHeadDim(), 1, 4096);
            r.range("architecture.mla.qkRopeHeadDim", mla.qkRopeHeadDim(), 1, 4096);
            r.range("architecture.mla.vHeadDim", mla.vHeadDim(), 1, 4096);
        }
        return r.problems().size() == before;
    }

    /** Every group needs a count; windows where the kind has one; recurrent layers need the recurrent shape. */
    private static void validatePattern(Rules r, ModelArchitecture a) {
        if (a.layerPattern() == null) {
            return;
        }
        if (a.layerPattern().isEmpty()) {
            r.fail("architecture.layerPattern", "[]", "must hold at least one layer group, or be null");
            return;
        }
        for (int i = 0; i < a.layerPattern().size(); i++) {
            ModelArchitecture.LayerGroup g = a.layerPattern().get(i);
            String field = "architecture.layerPattern[" + i + "]";
            if (g == null) {
                r.fail(field, null, "must be a layer group");
                continue;
            }
            r.range(field + ".count", g.count(), 1, 1000);
            r.present(field + ".attention", g.attention());
            if (g.attention() == ModelArchitecture.Attention.SLIDING || g.attention() == ModelArchitecture.Attention.CHUNKED) {
                r.range(field + ".window", g.window(), 1, 1 << 30);
            }
            r.optionalRange(field + ".kvHeads", g.kvHeads(), 1, 4096);
            if (g.kvHeads() != null && !r.failed(field + ".kvHeads")) {
                kvHeadsDivide(r, field + ".kvHeads", g.kvHeads(),
                        r.failed("architecture.attentionHeads") ? null : a.attentionHeads());
            }
            r.optionalRange(field + ".headDim", g.headDim(), 1, 4096);
            r.optionalRange(field + ".kvCompression", g.kvCompression(), 1, 1 << 16);
            r.optionalRange(field + ".ffnSize", g.ffnSize(), 1, 1 << 22);
            if (Boolean.TRUE.equals(g.indexer()) && a.sparseAttention() == null) {
                r.fail(field + ".indexer", true, "needs architecture.sparseAttention (the indexer's shape)");
            }
            if (g.attention() != null && g.attention().recurrent() && a.recurrent() == null) {
                r.fail(field + ".attention", g.attention().label(), "needs architecture.recurrent (the state's shape)");
            }
            if (g.ffn() == ModelArchitecture.Ffn.MOE && a.moe() == null) {
                r.fail(field + ".ffn", "moe", "needs architecture.moe");
            }
        }
    }

    /** Each KV head serves an equal share of the query heads: it must divide them (unknown heads: no check). */
    private static void kvHeadsDivide(Rules r, String field, Integer kvHeads, Integer heads) {
        if (heads != null && kvHeads != null && kvHeads > 0 && heads > 0 && (kvHeads > heads || heads % kvHeads != 0)) {
            r.fail(field, kvHeads, "must divide architecture.attentionHeads (" + heads + ")");
        }
    }

    public static List<Problem> validate(String file, CloudOffer offer) {
        Rules r = new Rules(file, offer.id());
        r.id("id", offer.id());
        r.present("provider", offer.provider());
        r.present("instanceType", offer.instanceType());
        r.id("gpuId", offer.gpuId());
        r.range("gpusPerInstance", offer.gpusPerInstance(), 1, 1024);
        r.range("instanceHourUsd", offer.instanceHourUsd(), 0.001, 100_000);
        r.range("gpuHourUsd", offer.gpuHourUsd(), 0.001, 10_000);
        if (offer.gpusPerInstance() != null && offer.gpusPerInstance() > 0 && offer.instanceHourUsd() != null
                && offer.gpuHourUsd() != null) {
            double expected = offer.instanceHourUsd() / offer.gpusPerInstance();
            if (Math.abs(offer.gpuHourUsd() - expected) > 0.01 * expected) {
                r.fail("gpuHourUsd", offer.gpuHourUsd(), String.format(
                        "must equal instanceHourUsd / gpusPerInstance (%.4f) within 1 %%", expected));
            }
        }
        r.present("pricing", offer.pricing());
        r.present("region", offer.region());
        r.date("date", offer.date());
        r.sources(offer.sources(), List.of("price"));
        return r.problems();
    }
}
