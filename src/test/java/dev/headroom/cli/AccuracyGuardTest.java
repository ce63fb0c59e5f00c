package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.calibration.AccuracyReport;
import dev.headroom.calibration.AccuracySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accuracy set as a guard against regressions, not a target: every row runs, no category's median error gets
 * worse than the figure recorded in src/test/resources/calibration/accuracy-baseline.json, and README's table is
 * what {@code headroom accuracy --readme README.md} writes (so it cannot drift from the engine).
 */
class AccuracyGuardTest {
    static AccuracyReport.Summary summary;

    @BeforeAll
    static void runTheSet() {
        summary = AccuracyReport.summarize(AccuracyCommand.run(AccuracySet.load()));
    }

    @Test
    void everyRowRunsAndTheSetCoversEachCategory() {
        assertThat(summary.results()).allSatisfy(r -> assertThat(r.problem()).as(r.id()).isNull());
        assertThat(summary.rows()).isGreaterThanOrEqualTo(40);
        assertThat(summary.categories()).extracting(AccuracyReport.Category::category)
                .containsExactlyElementsOf(AccuracySet.CATEGORIES);
        List<String> ids = AccuracySet.load().stream().map(AccuracySet.Row::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(AccuracySet.load()).allSatisfy(r -> {
            assertThat(r.source().url()).as(r.id()).startsWith("http");
            assertThat(r.source().date()).as(r.id()).matches("\\d{4}-\\d{2}(-\\d{2})?.*");
            assertThat(r.conditions()).as(r.id()).isNotBlank();
        });
    }

    @Test
    void noCategoryGetsWorseThanItsRecordedMedian() throws Exception {
        JsonNode baseline = new ObjectMapper().readTree(Path.of("src/test/resources/calibration/accuracy-baseline.json")
                .toFile());
        for (AccuracyReport.Category c : summary.categories()) {
            assertThat(baseline.has(c.category())).as("a recorded median for " + c.category()).isTrue();
            assertThat(c.medianAbsoluteError()).as(c.category() + " median absolute error (recorded "
                    + baseline.get(c.category()).asDouble() + "; improve it and record the new figure)")
                    .isLessThanOrEqualTo(baseline.get(c.category()).asDouble() + 5e-4);
        }
    }

    @Test
    void readmesTableIsTheCommandsOutput() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int begin = readme.indexOf(AccuracyCommand.BEGIN);
        int end = readme.indexOf(AccuracyCommand.END);
        assertThat(begin).as("README has the accuracy block").isNotNegative();
        assertThat(readme.substring(begin + AccuracyCommand.BEGIN.length(), end).strip())
                .as("README's table is stale: run java -jar target/headroom.jar accuracy --readme README.md")
                .isEqualTo(AccuracyReport.markdown(summary).strip());
    }

    /** The figures the baseline file should hold, printed for whoever improves a category. */
    static String baselineJson() {
        return summary.categories().stream().map(c -> String.format(java.util.Locale.ROOT, "  \"%s\": %.4f",
                c.category(), c.medianAbsoluteError())).collect(Collectors.joining(",\n", "{\n", "\n}\n"));
    }
}
