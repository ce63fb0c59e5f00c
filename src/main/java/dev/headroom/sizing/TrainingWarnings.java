package dev.headroom.sizing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Why a training step is slow, and what to change: a pipeline that idles, and an achieved MFU outside what large
 * runs publish. The numbers are right for the input either way; without these a user reads "677 days at 4.5 %
 * MFU" and does not learn that one micro-batch per step through twelve stages leaves the pipeline idle.
 */
final class TrainingWarnings {
    /** A bubble above a fifth of the step: a fifth of every GPU's time lost waiting. */
    static final double BUBBLE_LIMIT = 0.20;
    /**
     * Large runs publish 38-56 % end-to-end MFU (sizing.md §3.7 and §6: Korthikanti et al. 54-56 % at 530B,
     * LLaMA-65B 47.6 %); below 15 % something is configured badly, above 65 % the efficiencies assumed are too kind.
     */
    static final double MFU_LOW = 0.15;
    static final double MFU_HIGH = 0.65;

    private TrainingWarnings() {
    }

    static void add(Scenario scenario, PerformanceModel.Training run, List<String> warnings) {
        Scenario.Parallelism parallelism = scenario.parallelism();
        int stages = parallelism.pipeline();
        int virtual = parallelism.virtualStages();
        int microBatches = scenario.training().gradientAccumulation();
        double bubbleShare = run.bubbleSeconds() / (run.computeSeconds() + run.bubbleSeconds());
        if (bubbleShare > BUBBLE_LIMIT) {
            // GPipe (Huang et al. 2019): the bubble is negligible once there are at least 4 x K micro-batches
            int enough = (int) Math.ceil(4.0 * stages / virtual);
            warnings.add(String.format(Locale.ROOT, "%d stages and %d micro-batch%s per step: the pipeline idles %.0f %%"
                            + " of the time; raise --grad-accum to %d or more%s", stages, microBatches,
                    microBatches == 1 ? "" : "es", bubbleShare * 100, enough,
                    virtual == 1 && stages > 2 ? " (or interleave the stages with --virtual-stages)" : ""));
        }
        double mfu = run.achievedMfu();
        if (mfu < MFU_LOW) {
            warnings.add(String.format(Locale.ROOT, "achieved MFU %.1f %% is below the 15-65 %% large training runs"
                    + " reach: %s", mfu * 100, losses(run)));
        } else if (mfu > MFU_HIGH) {
            warnings.add(String.format(Locale.ROOT, "achieved MFU %.1f %% is above the 65 %% no published run reaches"
                    + " (38-56 %% end to end): the kernel efficiency assumed is optimistic; lower --mfu", mfu * 100));
        }
    }

    /** The step's largest losses beside its compute, each with its share and the flag that changes it. */
    private static String losses(PerformanceModel.Training run) {
        record Loss(double seconds, String what) {
        }
        List<Loss> losses = new ArrayList<>(List.of(
                new Loss(run.bubbleSeconds(), "the pipeline bubble (raise --grad-accum)"),
                new Loss(run.tensorSeconds(), "tensor-parallel all-reduces (keep --tp inside the GPUs one NVLink domain"
                        + " links, or lower it)"),
                new Loss(run.pipelineSeconds(), "activations between pipeline stages (fewer --pp stages)"),
                new Loss(run.exposedDataSeconds(), "the data-parallel gradient all-reduce (a faster --network, or"
                        + " more --grad-accum per all-reduce)"),
                new Loss(run.expertSeconds(), "expert all-to-alls (a smaller --expert-parallel, inside a node)")));
        losses.removeIf(loss -> loss.seconds() < 0.1 * run.stepSeconds());
        if (losses.isEmpty()) {
            return "the step is its compute at the kernel efficiency assumed (--mfu); raise it if your kernels do better";
        }
        losses.sort(Comparator.comparingDouble(Loss::seconds).reversed());
        List<String> parts = new ArrayList<>();
        for (Loss loss : losses.subList(0, Math.min(2, losses.size()))) {
            parts.add(String.format(Locale.ROOT, "%.0f %% of the step is %s", 100 * loss.seconds() / run.stepSeconds(),
                    loss.what()));
        }
        return String.join("; ", parts);
    }
}
