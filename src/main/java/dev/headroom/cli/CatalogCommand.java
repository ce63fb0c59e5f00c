package dev.headroom.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogEntry;
import dev.headroom.catalog.CatalogException;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.CloudOffer;
import dev.headroom.catalog.Gpu;
import dev.headroom.catalog.HostPlatform;
import dev.headroom.catalog.HuggingFaceImporter;
import dev.headroom.catalog.LayerPlan;
import dev.headroom.catalog.Model;
import dev.headroom.catalog.Network;
import dev.headroom.catalog.ParameterCounter;
import dev.headroom.catalog.UserCatalog;
import dev.headroom.common.Format;
import dev.headroom.common.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "catalog",
        description = "List and show the GPU, model and cloud-offer catalogs; import a Hugging Face config.json.",
        subcommands = {CatalogCommand.ListCommand.class, CatalogCommand.ShowCommand.class,
            CatalogCommand.ImportCommand.class})
final class CatalogCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, show or import");
    }

    /** Loads the catalogs and reports skipped user entries on stderr, so JSON on stdout stays clean. */
    static Catalog load(CommandLine commandLine) {
        Catalog catalog = CatalogLoader.standard().load();
        catalog.warnings().forEach(w -> commandLine.getErr().println("headroom: warning: " + w));
        return catalog;
    }

    enum Kind { gpus, models, offers, networks, hosts }

    @Command(name = "list", description = "List one catalog: gpus, models, offers, networks or hosts.")
    static final class ListCommand implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CATALOG", description = "gpus, models, offers, networks or hosts")
        Kind kind;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            Catalog catalog = load(spec.commandLine());
            PrintWriter out = spec.commandLine().getOut();
            switch (kind) {
                case gpus -> printGpus(catalog, out);
                case models -> printModels(catalog, out);
                case offers -> printOffers(catalog, out);
                case networks -> printNetworks(catalog, out);
                case hosts -> printHosts(catalog, out);
                default -> throw new IllegalStateException(kind.name());
            }
        }

        private void printGpus(Catalog catalog, PrintWriter out) {
            if (json) {
                out.println(Json.write(catalog.gpus().values()));
                return;
            }
            TextTable table = new TextTable("ID", "NAME", "CLASS", "MEMORY", "BANDWIDTH", "BF16 TFLOPS", "TDP W",
                    "PRICE", "PRICE DATE").alignRight(3, 4, 5, 6, 7);
            for (Gpu gpu : catalog.gpus().values()) {
                Double bf16 = gpu.denseTflops().bf16() != null ? gpu.denseTflops().bf16() : gpu.denseTflops().fp16();
                table.add(gpu.id(), gpu.name(), gpu.gpuClass().label(), Format.gib(gpu.capacityBytes()),
                        Format.gbPerSecond(gpu.memory().bandwidthBytesPerSecond()), Format.number(bf16),
                        Format.number(gpu.power().tdpWatts()), gpu.price() == null ? null : Format.usd(gpu.price().usd()),
                        gpu.price() == null ? null : gpu.price().date());
            }
            table.print(out);
        }

        private void printModels(Catalog catalog, PrintWriter out) {
            if (json) {
                List<ObjectNode> rows = new ArrayList<>();
                catalog.models().values().forEach(m -> rows.add(modelJson(m)));
                out.println(Json.write(rows));
                return;
            }
            TextTable table = new TextTable("ID", "NAME", "FAMILY", "LAYERS", "DERIVED", "ACTIVE", "PUBLISHED",
                    "PUB. ACTIVE", "DIFF").alignRight(3, 4, 5, 6, 7, 8);
            for (Model model : catalog.models().values()) {
                ParameterCounter.Count count = ParameterCounter.count(model.architecture());
                table.add(model.id(), model.name(), model.family(), model.architecture().layers(),
                        Format.parameters(count.total()), Format.parameters(count.active()),
                        model.publishedParameters() == null ? null : Format.parameters(model.publishedParameters()),
                        model.publishedActiveParameters() == null ? null
                                : Format.parameters(model.publishedActiveParameters()),
                        model.publishedParameters() == null ? null : Format.percent(model.derivationError()));
            }
            table.print(out);
            out.println("DERIVED: counted from the architecture (with any vision tower); ACTIVE: used per text token"
                    + " (differs for MoE); PUBLISHED: the authors' figures; DIFF: derived vs published total.");
        }

        private void printNetworks(Catalog catalog, PrintWriter out) {
            if (json) {
                out.println(Json.write(catalog.networks().values()));
                return;
            }
            TextTable table = new TextTable("ID", "NAME", "TECHNOLOGY", "PER PORT", "LATENCY").alignRight(3, 4);
            for (Network network : catalog.networks().values()) {
                table.add(network.id(), network.name(), network.technology(),
                        Format.gbPerSecond(network.bytesPerSecond()), network.latencySeconds() == null ? null
                                : String.format(java.util.Locale.ROOT, "%.2g s", network.latencySeconds()));
            }
            table.print(out);
            out.println("PER PORT: one direction of one port; a node's GPUs share its ports (catalog node.nicsPerNode).");
        }

        private void printHosts(Catalog catalog, PrintWriter out) {
            if (json) {
                out.println(Json.write(catalog.hosts().values()));
                return;
            }
            TextTable table = new TextTable("ID", "NAME", "MEMORY", "BANDWIDTH").alignRight(2, 3);
            for (HostPlatform host : catalog.hosts().values()) {
                table.add(host.id(), host.name(), Format.gib(host.memoryBytes()),
                        Format.gbPerSecond(host.bandwidthBytesPerSecond()));
            }
            table.print(out);
        }

        private void printOffers(Catalog catalog, PrintWriter out) {
            if (json) {
                out.println(Json.write(catalog.offers().values()));
                return;
            }
            TextTable table = new TextTable("ID", "PROVIDER", "INSTANCE", "GPU", "GPUS", "PRICING", "$/INSTANCE-H",
                    "$/GPU-H", "REGION", "DATE").alignRight(4, 6, 7);
            for (CloudOffer offer : catalog.offers().values()) {
                table.add(offer.id(), offer.provider(), offer.instanceType(), offer.gpuId(), offer.gpusPerInstance(),
                        offer.pricing().label(), Format.usd(offer.instanceHourUsd()), Format.usd(offer.gpuHourUsd()),
                        offer.region(), offer.date());
            }
            table.print(out);
        }
    }

    /** A model as JSON: the catalog entry plus what is derived from it. */
    static ObjectNode modelJson(Model model) {
        ObjectNode node = Json.mapper().valueToTree(model);
        ParameterCounter.Count count = ParameterCounter.count(model.architecture());
        node.put("derivedParameters", count.total());
        node.put("activeParameters", count.active());
        node.put("derivedTextParameters", count.text());
        if (count.mtp() > 0) {
            node.put("multiTokenPredictionParameters", count.mtp());
        } else {
            node.putNull("multiTokenPredictionParameters");
        }
        if (model.publishedParameters() != null) {
            node.put("derivationErrorPercent", Math.round(model.derivationError() * 1e4) / 1e2);
        } else {
            node.putNull("derivationErrorPercent");
        }
        if (model.publishedActiveParameters() != null) {
            node.put("activeDerivationErrorPercent", Math.round(model.activeDerivationError() * 1e4) / 1e2);
        } else {
            node.putNull("activeDerivationErrorPercent");
        }
        node.put("attentionPattern", LayerPlan.describeAttention(model.architecture()));
        node.put("ffnLayers", LayerPlan.describeFfn(model.architecture()));
        return node;
    }

    @Command(name = "show", description = "Show one GPU, model or cloud offer by id.")
    static final class ShowCommand implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "a GPU, model or offer id (see 'catalog list')")
        String id;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            Catalog catalog = load(spec.commandLine());
            PrintWriter out = spec.commandLine().getOut();
            Optional<? extends CatalogEntry> entry = catalog.gpu(id).map(CatalogEntry.class::cast)
                    .or(() -> catalog.model(id)).or(() -> catalog.offer(id));
            if (entry.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no GPU, model or offer has the id '"
                        + TerminalText.clean(dev.headroom.common.Format.echo(id)) + "'; 'headroom catalog list gpus|models|offers' lists the ids");
            }
            if (json) {
                out.println(entry.get() instanceof Model model ? Json.write(modelJson(model)) : Json.write(entry.get()));
            } else {
                StringWriter text = new StringWriter(); // a user catalog's names and notes are a file's text
                PrintWriter lines = new PrintWriter(text);
                EntryText.print(entry.get(), lines);
                lines.flush();
                out.print(TerminalText.cleanLines(text.toString()));
            }
        }
    }

    @Command(name = "import",
            description = {"Read a Hugging Face config.json and print it as a catalog model entry.",
                "Supported model_type: llama, mistral, mixtral, qwen2, gemma2, phi3, deepseek_v3, qwen3, qwen3_moe,",
                "qwen2_moe, gemma3(_text), llama4(_text), gpt_oss, kimi_k2, kimi_k25, glm4_moe, glm_moe_dsa, phimoe,",
                "olmo2, granite, mistral3, qwen3_5(_moe), deepseek_v32, deepseek_v4, gemma4, minimax_m2, nemotron_h.",
                "Defaults applied for keys the config leaves out are listed on stderr."})
    static final class ImportCommand implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "CONFIG.json", description = "the model's config.json")
        Path config;

        @Option(names = "--id", description = "Catalog id for the model (default: from _name_or_path or the folder).")
        String id;

        @Option(names = "--json", description = "Print the entry as catalog JSON.")
        boolean json;

        @Option(names = "--save", description = "Add the entry to the user catalog (models.json in the user catalog folder).")
        boolean save;

        @Override
        public void run() {
            if (!Files.isRegularFile(config)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "CONFIG.json '" + config
                        + "' is not a readable file");
            }
            Model model;
            try {
                HuggingFaceImporter.Imported imported = HuggingFaceImporter.read(config);
                model = imported.model();
                // stderr, so that --json output stays one valid JSON document
                imported.notes().forEach(note -> spec.commandLine().getErr().println("note: " + note));
                if (id != null) {
                    model = UserCatalog.withId(model, id);
                }
            } catch (CatalogException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(modelJson(model)));
            } else {
                EntryText.print(model, out);
            }
            if (save) {
                Path userDir = CatalogLoader.defaultUserDir();
                try {
                    Path file = new UserCatalog(userDir).addModel(model);
                    spec.commandLine().getErr().println("saved '" + model.id() + "' to " + file);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot save to the user catalog in " + userDir + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }
}
