package dev.headroom.cli;

import static dev.headroom.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.common.SpecialFiles;
import dev.headroom.telemetry.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 4: {@code monitor --record} appends to the same recording and refuses anything else with exit 2
 * unless {@code --overwrite}; items 11 and 16: {@code replay} and {@code report} reject a corrupt recording with
 * exit 2 and one line naming the file and the line.
 */
class MonitorRecordTest {
    private static final Path H200 = Path.of("src/test/resources/nvml/h200-recording.jsonl");

    @TempDir
    Path folder;

    private static CliTest.Run record(Path file, String source, String... more) {
        List<String> args = new ArrayList<>(List.of("monitor", "--source", source, "--interval", "100ms",
                "--duration", "400ms", "--json", "--record", file.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    @Test
    void aSecondRunAppendsToTheSameRecording() throws Exception {
        Path file = folder.resolve("run.jsonl");
        assertThat(record(file, "simulated:h100-training:2").code()).isZero();
        int first = Recording.read(file).ticks().size();

        CliTest.Run again = record(file, "simulated:h100-training:2");

        assertThat(again.code()).as(again.err()).isZero();
        assertThat(Recording.read(file).ticks().size()).isGreaterThan(first);
    }

    @Test
    void aPlanFileIsRefusedAndKeptUnlessOverwrite() throws Exception {
        Path plan = folder.resolve("plan.headroom-plan");
        String content = "{\"model\": {\"id\": \"llama-3.1-8b\"}}";
        Files.writeString(plan, content);

        CliTest.Run refused = record(plan, "simulated:h100-training:1");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("headroom: --record " + plan
                + ": holds something that is not a headroom recording; nothing written");
        assertThat(plan).hasContent(content);

        CliTest.Run overwritten = record(plan, "simulated:h100-training:1", "--overwrite");
        assertThat(overwritten.code()).as(overwritten.err()).isZero();
        assertThat(Recording.read(plan).ticks()).isNotEmpty();
    }

    @Test
    void aRecordingOfOtherGpusIsRefused() throws Exception {
        Path file = folder.resolve("run.jsonl");
        assertThat(record(file, "simulated:h100-training:2").code()).isZero();
        String before = Files.readString(file);

        CliTest.Run refused = record(file, "simulated:h100-training:1");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("(2 GPUs").contains("(1 GPU,").contains("gpus differs")
                .contains("--overwrite");
        assertThat(file).hasContent(before);
    }

    @Test
    void aMissingFolderOrAFifoIsRefused() throws Exception {
        Path missing = folder.resolve("typo/run.jsonl");
        CliTest.Run run = record(missing, "simulated");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("folder " + missing.getParent() + " does not exist; nothing written");
        assertThat(missing.getParent()).doesNotExist();

        Path fifo = SpecialFiles.fifo(folder.resolve("run.fifo"));
        CliTest.Run toFifo = record(fifo, "simulated");
        assertThat(toFifo.code()).isEqualTo(2);
        assertThat(toFifo.err()).contains("is a FIFO, not a regular file; nothing written");
    }

    private Path corrupt(String name, String from, String to) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(H200));
        lines.set(4, lines.get(4).replace(from, to));
        Path file = folder.resolve(name);
        Files.write(file, lines);
        return file;
    }

    @Test
    void replayAndReportRejectImpossibleReadingsWithFileAndLine() throws Exception {
        Path file = corrupt("bad.jsonl", "\"util\":0.0", "\"util\":-50");
        String message = file + " line 5: GPU 0 util = -50: must be between 0 and 100 %";

        CliTest.Run replay = run("replay", file.toString());
        assertThat(replay.code()).isEqualTo(2);
        assertThat(replay.err()).contains(message).doesNotContain("Exception");

        CliTest.Run report = run("report", file.toString(), "--format", "html", "-o",
                folder.resolve("r.html").toString());
        assertThat(report.code()).isEqualTo(2);
        assertThat(report.err().strip()).isEqualTo("headroom: RECORDING = " + message);
        assertThat(folder.resolve("r.html")).doesNotExist();
    }

    @Test
    void replayRejectsTimeRunningBackwards() throws Exception {
        Path file = corrupt("backwards.jsonl", "\"t\":17956818", "\"t\":17956810");

        CliTest.Run replay = run("replay", file.toString());

        assertThat(replay.code()).isEqualTo(2);
        assertThat(replay.err()).contains(file + " line 5: t = ").contains("time runs backwards");
    }

    @Test
    void aTornLastLineIsAWarningAndTheRestIsSummarized() throws Exception {
        String text = Files.readString(H200);
        Path file = folder.resolve("torn.jsonl");
        Files.writeString(file, text.substring(0, text.length() - 200)); // cut mid-tick, no final newline

        CliTest.Run replay = run("replay", file.toString(), "--json");

        assertThat(replay.code()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("warning: " + file + " line 27: an incomplete last tick");
        assertThat(replay.json().get("ticks").asInt()).isEqualTo(25);
    }

    @Test
    void overwriteWithoutRecordIsWarnedAbout() {
        CliTest.Run run = run("monitor", "--source", "simulated:h100-training:1", "--once", "--overwrite");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("headroom: warning: --overwrite applies to --record FILE");
    }

    @Test
    void aRecordingThatEndsAfterNowOrDoesNotReadBackIsNotAppendedTo() throws Exception {
        Path future = folder.resolve("future.jsonl");
        assertThat(record(future, "simulated:h100-training:1").code()).isZero();
        List<String> lines = new ArrayList<>(Files.readAllLines(future));
        int last = lines.size() - 1;
        lines.set(last, lines.get(last).replaceFirst("\"t\":\\d+", "\"t\":9999999999999"));
        Files.writeString(future, String.join("\n", lines) + "\n");
        String before = Files.readString(future);

        CliTest.Run refused = record(future, "simulated:h100-training:1");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("later than this machine's clock").contains("nothing appended");
        assertThat(future).hasContent(before);

        Path bad = folder.resolve("bad.jsonl");
        assertThat(record(bad, "simulated:h100-training:1").code()).isZero();
        Files.writeString(bad, Files.readString(bad).replaceFirst("\"util\":[0-9.]+", "\"util\":-50"));
        CliTest.Run unreadable = record(bad, "simulated:h100-training:1");
        assertThat(unreadable.code()).isEqualTo(2);
        assertThat(unreadable.err()).contains("does not read back").contains("util = -50");
    }

    @Test
    void twoTicksInOneMillisecondAreReportedNotACrash() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(H200));
        String time = lines.get(2).replaceAll("^\\{\"t\":(\\d+).*", "$1");
        lines.set(3, lines.get(3).replaceFirst("\"t\":\\d+", "\"t\":" + time));
        Path file = folder.resolve("same-ms.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");

        CliTest.Run report = run("report", file.toString(), "--format", "md", "-o", folder.resolve("r.md").toString());

        assertThat(report.code()).as(report.err()).isZero();
    }
}
