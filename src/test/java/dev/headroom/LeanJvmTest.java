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

    /** The options start this very JVM (a refused option would make the relaunch fail and the command run fat). */
    @Test
    void theOptionsStartThisJvm() throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LeanJvm.OPTIONS);
        if (LeanJvm.hasNativeTrim(Runtime.version())) {
            command.addAll(LeanJvm.NATIVE_TRIM);
        }
        command.add("-version");
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(jvm.waitFor()).as(output).isZero();
    }

    @Test
    void nativeTrimOnlyWhereTheJvmHasIt() {
        assertThat(LeanJvm.hasNativeTrim(Runtime.Version.parse("17.0.8"))).isFalse();
        assertThat(LeanJvm.hasNativeTrim(Runtime.Version.parse("17.0.9"))).isTrue();
        assertThat(LeanJvm.hasNativeTrim(Runtime.Version.parse("19.0.2"))).isFalse();
        assertThat(LeanJvm.hasNativeTrim(Runtime.Version.parse("21.0.1"))).isTrue();
    }
}
