package dev.headroom.ui.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.SharedFixtures;
import dev.headroom.catalog.Catalog;
import dev.headroom.catalog.CatalogLoader;
import dev.headroom.catalog.HuggingFaceImporter;
import dev.headroom.catalog.Model;
import dev.headroom.sizing.SizingEngine;
import org.junit.jupiter.api.Test;

/** The model step's descriptions, read from the view model without a toolkit. */
class PlanViewModelTest {
    private static final Catalog CATALOG = new CatalogLoader(null).load();

    private final PlanViewModel vm = new PlanViewModel(CATALOG, new SizingEngine(CATALOG));

    @Test
    void aCatalogModelShowsItsAttentionCycleAndFfnLayers() {
        vm.modelIdProperty().set("gemma-2-9b");
        // google/gemma-2-9b config.json: 42 layers, every other one a 4,096-token sliding window.
        assertThat(vm.getAttentionPattern()).startsWith("1 sliding (4,096) : 1 full, repeated over 42 layers");
        assertThat(vm.getFfnLayout()).isEqualTo("42 dense");
    }

    @Test
    void aMixtureOfExpertsShowsExpertsAndActiveExperts() {
        vm.modelIdProperty().set("mixtral-8x7b");
        // mistralai/Mixtral-8x7B-v0.1 config.json: 32 layers, 8 local experts, 2 per token.
        assertThat(vm.getFfnLayout()).isEqualTo("32 MoE (8 experts, 2 active)");
        assertThat(vm.getAttentionPattern()).isEqualTo("32 full");
        vm.modelIdProperty().set("deepseek-v3");
        assertThat(vm.getFfnLayout()).isEqualTo("3 dense + 58 MoE (256 experts, 8 active, 1 shared)");
    }

    @Test
    void anImportedConfigIsDescribedLikeACatalogEntry() {
        Model imported = HuggingFaceImporter.importFile(SharedFixtures.hfConfig("mistral-7b-v0.1"));
        vm.importedNameProperty().set(imported.name());
        vm.importedArchitectureProperty().set(imported.architecture());
        vm.modelSourceProperty().set(PlanViewModel.ModelSource.IMPORTED);
        // mistralai/Mistral-7B-v0.1 config.json: sliding_window 4096 on all 32 layers.
        assertThat(vm.getAttentionPattern()).isEqualTo("32 sliding (4,096)");
        assertThat(vm.getFfnLayout()).isEqualTo("32 dense");
    }

    @Test
    void customFieldsAreDescribedAsTheyAreTypedAndNotWhileTheyAreBad() {
        vm.modelSourceProperty().set(PlanViewModel.ModelSource.CUSTOM);
        vm.expertsProperty().set("16");
        vm.activeExpertsProperty().set("4");
        assertThat(vm.getFfnLayout()).isEqualTo("32 MoE (16 experts, 4 active)");
        assertThat(vm.getAttentionPattern()).isEqualTo("32 full");
        vm.layersProperty().set("thirty");
        assertThat(vm.getAttentionPattern()).isEmpty();
        assertThat(vm.getFfnLayout()).isEmpty();
        vm.layersProperty().set("12");
        assertThat(vm.getAttentionPattern()).isEqualTo("12 full");
    }
}
