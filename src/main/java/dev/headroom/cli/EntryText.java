package dev.headroom.cli;

import dev.headroom.catalog.CatalogEntry;
import dev.headroom.catalog.CloudOffer;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.Model;
import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.ModelArchitecture;
import dev.headroom.catalog.ParameterCounter;
import dev.headroom.catalog.Source;
import dev.headroom.common.Format;
import java.io.PrintWriter;

/** One catalog entry as labelled lines, every figure with its unit, then its sources. */
final class EntryText {
    private EntryText() {
    }

    static void print(CatalogEntry entry, PrintWriter out) {
        if (entry instanceof Gpu gpu) {
            gpu(gpu, out);
        } else if (entry instanceof Model model) {
            model(model, out);
        } else if (entry instanceof CloudOffer offer) {
            offer(offer, out);
        }
        out.println("Sources:");
        for (Source source : entry.sources()) {
            out.printf("  [%s] %s %s (%s)%n", String.join(", ", source.covers()),
                    source.title() == null ? "" : source.title(), source.url() == null ? "" : source.url(), source.date());
        }
    }

    private static void gpu(Gpu gpu, PrintWriter out) {
        line(out, "GPU", gpu.name() + " (" + gpu.id() + ")");
        line(out, "Class", gpu.gpuClass().label() + ", " + gpu.vendor() + " " + gpu.architecture()
                + ", " + gpu.formFactor() + ", " + gpu.releaseYear());
        Gpu.Memory memory = gpu.memory();
        line(out, "Memory", Format.gib(memory.bytes()) + " " + memory.type()
                + (memory.usableBytes() != null ? " (usable " + Format.gib(memory.usableBytes()) + ")" : "")
                + (Boolean.TRUE.equals(memory.ecc()) ? ", ECC" : ", no ECC"));
        line(out, "Bandwidth", Format.gbPerSecond(memory.bandwidthBytesPerSecond()));
        Gpu.DenseTflops t = gpu.denseTflops();
        line(out, "Dense TFLOPS", "FP32 " + Format.number(t.fp32()) + ", TF32 " + Format.number(t.tf32())
                + ", FP16 " + Format.number(t.fp16()) + ", BF16 " + Format.number(t.bf16()) + ", FP8 "
                + Format.number(t.fp8()) + ", INT8 " + Format.number(t.int8()) + " TOPS, INT4 "
                + Format.number(t.int4()) + " TOPS, FP4 " + Format.number(t.fp4()));
        if (gpu.accumulationNote() != null) {
            line(out, "Accumulation", gpu.accumulationNote());
        }
        Gpu.Power p = gpu.power();
        line(out, "Power", "TDP " + Format.number(p.tdpWatts()) + " W, idle " + Format.number(p.idleWatts())
                + " W, limit " + Format.number(p.limitMinWatts()) + "-" + Format.number(p.limitMaxWatts()) + " W");
        Gpu.Interconnect link = gpu.interconnect();
        line(out, "Interconnect", (link.gpuLink() == null ? "no GPU-to-GPU link"
                : link.gpuLink() + " " + Format.gbPerSecond(link.gpuLinkBytesPerSecond()))
                + ", PCIe Gen" + link.pcieGeneration() + (link.pcieLanes() == null ? "" : " x" + link.pcieLanes()));
        line(out, "Price", gpu.price() == null ? "not sold separately"
                : Format.usd(gpu.price().usd()) + " on " + gpu.price().date() + " (" + gpu.price().basis() + ")");
        if (gpu.notes() != null) {
            line(out, "Notes", gpu.notes());
        }
    }

    private static void model(Model model, PrintWriter out) {
        ModelArchitecture a = model.architecture();
        ParameterCounter.Count count = ParameterCounter.count(a);
        line(out, "Model", model.name() + " (" + model.id() + "), family " + model.family());
        line(out, "Layers", a.layers() + ", hidden " + a.hiddenSize() + ", FFN " + a.ffnSize() + " (" + a.ffnKind().label()
                + "), vocabulary " + a.vocabSize());
        line(out, "Attention", a.attentionHeads() + " heads, " + a.kvHeads() + " KV heads, head dim " + a.headDim()
                + (a.mla() != null ? ", MLA (KV latent " + a.mla().kvLoraRank() + " + rope " + a.mla().qkRopeHeadDim() + ")" : "")
                + (a.sparseAttention() != null ? ", sparse (top " + a.sparseAttention().topK() + " tokens by an indexer)" : ""));
        line(out, "Layer pattern", LayerPlan.describeAttention(a));
        line(out, "FFN layers", LayerPlan.describeFfn(a));
        if (a.hasExperts()) {
            line(out, "Experts", a.moe().experts() + " routed (" + a.moe().activeExperts() + " active), "
                    + a.moe().shared() + " shared, expert FFN " + a.moe().expertFfnSize());
        }
        line(out, "Context", a.maxContextTokens() + " tokens");
        line(out, "Parameters", Format.parameters(count.total()) + " derived (" + count.total() + "), "
                + Format.parameters(count.active()) + " active per token");
        if (model.publishedParameters() != null) {
            line(out, "Published", Format.parameters(model.publishedParameters()) + " (" + model.publishedParameters()
                    + "), derived differs by " + Format.percent(model.derivationError()));
        }
        if (model.parameterNote() != null) {
            line(out, "Note", model.parameterNote());
        }
    }

    private static void offer(CloudOffer offer, PrintWriter out) {
        line(out, "Offer", offer.provider() + " " + offer.instanceType() + " (" + offer.id() + ")");
        line(out, "GPUs", offer.gpusPerInstance() + " x " + offer.gpuId());
        line(out, "Price", Format.usd(offer.instanceHourUsd()) + " per instance-hour, "
                + Format.usd(offer.gpuHourUsd()) + " per GPU-hour, " + offer.pricing().label());
        line(out, "Region", offer.region() + ", price dated " + offer.date());
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf("%-14s %s%n", label + ":", value);
    }
}
