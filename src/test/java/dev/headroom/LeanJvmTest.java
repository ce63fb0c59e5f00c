package dev.headroom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which commands re-execute in the small JVM: the long-running ones, not their one-shot or help forms. */
class LeanJvmTest {
    @Test
    void monitorAndExporterDoOneShotsAndOtherCommandsDoNot() {
        assertThat(LeanJvm.worthIt(new String[] {"monitor", "--interval", "1s"})).isTrue();
        assertThat(LeanJvm.worthIt(new String[] {"exporter", "--listen", "0.0.0.0:9400"})).isTrue();
        assertThat(LeanJvm.worthIt(new String[] {"monitor", "--once", "--json"})).isFalse();
        assertThat(LeanJvm.worthIt(new String[] {"exporter", "--help"})).isFalse();
        assertThat(LeanJvm.worthIt(new String[] {"size", "--model", "llama-3.1-8b"})).isFalse();
        assertThat(LeanJvm.worthIt(new String[0])).isFalse();
        assertThat(LeanJvm.OPTIONS).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData");
    }
}
