package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.catalog.CatalogLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command line's JSON comes from Json's streaming path for speed; data binding is the reference. Every command
 * that prints JSON, run both ways, prints the same text: field names, order, nulls, numbers and indentation.
 */
class JsonTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    final IsolatedUserCatalog userCatalog = new IsolatedUserCatalog();

    @AfterEach
    void streamingAgain() {
        Json.dataBindingOnly = false;
    }

    @Test
    void everyCommandPrintsTheSameJsonAsDataBinding() {
        List<String[]> commands = new ArrayList<>();
        for (String model : new CatalogLoader(null).load().models().keySet()) {
            commands.add(new String[] {"size", "--model", model, "--gpu", "h100-sxm", "--json"});
        }
        commands.add(new String[] {"size", "--model", "gpt-oss-120b", "--weights", "mxfp4", "--gpu", "rtx-4090", "--json"});
        commands.add(new String[] {"size", "--model", "llama-3.1-70b", "--workload", "pretrain", "--gpu", "h100-sxm",
            "--gpus", "64", "--tp", "8", "--pp", "2", "--dp", "4", "--json"});
        commands.add(new String[] {"size", "--model", "llama-3.1-8b", "--workload", "finetune", "--gpu", "a100-80gb",
            "--json"});
        commands.add(new String[] {"cost", "--gpu", "h100-sxm", "--gpus", "8", "--gpu-price", "30000", "--json"});
        for (String kind : List.of("gpus", "models", "offers", "hosts", "networks")) {
            commands.add(new String[] {"catalog", "list", kind, "--json"});
        }
        commands.add(new String[] {"catalog", "show", "h100-sxm", "--json"});
        commands.add(new String[] {"catalog", "show", "deepseek-v3", "--json"});
        commands.add(new String[] {"recommend", "--model", "llama-3.1-8b", "--rate", "5", "--tpot-slo", "1ms",
            "--gpus", "h100-sxm,l40s", "--json"});

        for (String[] command : commands) {
            Json.dataBindingOnly = false;
            CliTest.Run streamed = run(command);
            Json.dataBindingOnly = true;
            CliTest.Run bound = run(command);
            assertThat(streamed.out()).as(String.join(" ", command)).isEqualTo(bound.out());
            assertThat(streamed.err()).as(String.join(" ", command)).isEqualTo(bound.err());
            if (command[0].equals("size") && command[2].equals("llama-2-70b")) {
                assertThat(streamed.out()).contains("\"memory\" : {");
            }
        }
        assertThat(commands).hasSizeGreaterThan(20);
    }
}
