package dev.headroom.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChartExportMenuTest {
    @Test
    void readsAPixelSizeAndRefusesWhatIsOutOfRange() {
        assertThat(ChartExportMenu.parseSize("1920 x 1080")).containsExactly(1920, 1080);
        assertThat(ChartExportMenu.parseSize("3840x2160")).containsExactly(3840, 2160);
        assertThat(ChartExportMenu.parseSize(" 800 \u00d7 600 ")).containsExactly(800, 600);
        assertThat(ChartExportMenu.parseSize("99 x 1080")).isNull();
        assertThat(ChartExportMenu.parseSize("1920 x 10001")).isNull();
        assertThat(ChartExportMenu.parseSize("big")).isNull();
        assertThat(ChartExportMenu.parseSize(null)).isNull();
    }
}
