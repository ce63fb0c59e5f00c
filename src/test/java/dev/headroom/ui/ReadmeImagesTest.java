package dev.headroom.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's images cannot go stale: each one it shows is written by the one screenshot command
 * (ReadmeScreenshots), so regenerating them all is one command, and each is in assets/screenshots.
 */
class ReadmeImagesTest {
    private static final Pattern IMAGE = Pattern.compile("assets/screenshots/([A-Za-z0-9_.-]+)\\.png");

    @Test
    void everyImageReadmeShowsIsWrittenByTheScreenshotCommand() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> shown = new ArrayList<>();
        for (Matcher m = IMAGE.matcher(readme); m.find(); ) {
            shown.add(m.group(1));
        }

        assertThat(shown).as("images README shows").isNotEmpty().contains("shell-light", "shell-dark");
        assertThat(ReadmeScreenshots.IMAGES).as("ReadmeScreenshots.IMAGES").containsAll(shown);
        for (String name : shown) {
            assertThat(Path.of("assets/screenshots", name + ".png")).as(name).isRegularFile();
        }
    }

    @Test
    void theFirstImageIsThePlanWithResultsBesideTheMemoryChart() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher first = IMAGE.matcher(readme);
        assertThat(first.find()).isTrue();
        assertThat(first.group(1)).isEqualTo("shell-light");
        // written right after the hardware step, whose results pane holds the memory chart
        assertThat(ReadmeScreenshots.IMAGES.indexOf("shell-light"))
                .isEqualTo(ReadmeScreenshots.IMAGES.indexOf("plan-5-hardware") + 1);
    }
}
