package dev.headroom.serving;

import java.util.ArrayDeque;

/**
 * One replica's continuous-batching scheduler, as vLLM V1 schedules a step (vllm/v1/core/sched/scheduler.py,
 * serving-and-planning.md §2): there are no prefill and decode phases, only requests whose computed tokens catch up
 * with their tokens. Each step has a token budget ({@code max_num_batched_tokens}).
 * <ol>
 * <li>Running requests in order each take what they still need (one token when decoding, a chunk of the prompt
 * otherwise) within the budget. A request that needs a KV block none is free for preempts the newest running
 * request (with priorities: the lowest-priority, newest one) until it fits, or itself: preemption by recomputation
 * frees the victim's blocks, resets its computed tokens and puts it at the head of the waiting queue.</li>
 * <li>Only when nothing was preempted in this step, waiting requests are admitted in order while the budget lasts,
 * fewer than {@code max_num_seqs} run and their blocks are free; the first that cannot get blocks stops admission.</li>
 * </ol>
 * The step's time comes from the {@link StepTimer}; when it ends, every request whose computed tokens reached its
 * tokens emits one output token.
 */
final class Replica {
    enum State { STARTING, READY, DRAINING, GONE }

    interface Sink {
        void firstToken(Request r, double now);

        void finished(Request r, double now, Replica replica);

        void preempted(Request r);
    }

    final int id;
    private final StepTimer timer;
    private final int blockTokens;
    final long totalBlocks;
    long freeBlocks;
    private final int maxSeqs;
    private final int maxBatchedTokens;
    private final SchedulerSettings.Priority priority;

    private Request[] running = new Request[64];
    int runningCount;
    private final ArrayDeque<Request> waitingHigh = new ArrayDeque<>();
    private final ArrayDeque<Request> waitingLow = new ArrayDeque<>();

    State state;
    boolean busy;
    final Event stepEnd;
    double startedAt;
    double readyAt;
    double goneAt = Double.NaN;
    double busySeconds;

    Replica(int id, StepTimer timer, int blockTokens, long totalBlocks, SchedulerSettings settings, double startedAt) {
        this.id = id;
        this.timer = timer;
        this.blockTokens = blockTokens;
        this.totalBlocks = totalBlocks;
        this.freeBlocks = totalBlocks;
        this.maxSeqs = settings.maxSeqs();
        this.maxBatchedTokens = settings.maxBatchedTokens();
        this.priority = settings.priority();
        this.stepEnd = new Event(Event.STEP_END, this);
        this.startedAt = startedAt;
    }

    int waiting() {
        return waitingHigh.size() + waitingLow.size();
    }

    int outstanding() {
        return waiting() + runningCount;
    }

    double kvUse() {
        return totalBlocks == 0 ? 1 : 1 - (double) freeBlocks / totalBlocks;
    }

    boolean hasRoom() {
        return outstanding() < maxSeqs;
    }

    void enqueue(Request r) {
        (r.priority == 0 || priority == SchedulerSettings.Priority.NONE ? waitingHigh : waitingLow).addLast(r);
    }

    private ArrayDeque<Request> queueOf(Request r) {
        return r.priority == 0 || priority == SchedulerSettings.Priority.NONE ? waitingHigh : waitingLow;
    }

    private Request nextWaiting() {
        Request high = waitingHigh.peekFirst();
        return high != null ? high : waitingLow.peekFirst();
    }

    private long blocksFor(int tokens) {
        return (tokens + blockTokens - 1) / blockTokens;
    }

    /** Plans the next step; its seconds, or -1 when there is nothing to run. */
    double schedule(double now, Sink sink) {
        int budget = maxBatchedTokens;
        boolean preempted = false;
        int prefillTokens = 0;
        double prefillPositions = 0;
        int prefillDone = 0;
        int decoders = 0;
        double context = 0;
        int i = 0;
        while (i < runningCount && budget > 0) {
            Request r = running[i];
            int n = Math.min(r.pending(), budget);
            long needed = blocksFor(r.computed + n) - r.blocks;
            boolean self = false;
            while (needed > freeBlocks) {
                int victim = victim();
                preempt(victim, sink);
                preempted = true;
                if (victim == i) {
                    self = true;
                    break;
                }
                if (victim < i) {
                    i--; // an earlier request left (priorities); its step share stays in this step's cost
                }
            }
            if (self) {
                continue; // running[i] is now the next request
            }
            freeBlocks -= needed;
            r.blocks += needed;
            r.scheduled = n;
            budget -= n;
            if (r.generated > 0 && n == 1 && r.pending() == 1) {
                decoders++;
                context += r.computed;
            } else {
                prefillTokens += n;
                prefillPositions += n * (r.computed + n / 2.0);
                if (n == r.pending()) {
                    prefillDone++;
                }
            }
            i++;
        }
        if (priority == SchedulerSettings.Priority.PREEMPTIVE) {
            preempted |= makeRoomForHighPriority(sink);
        }
        if (!preempted || priority == SchedulerSettings.Priority.PREEMPTIVE) {
            while (budget > 0 && runningCount < maxSeqs) {
                Request r = nextWaiting();
                if (r == null) {
                    break;
                }
                int n = Math.min(r.pending(), budget);
                long needed = blocksFor(r.computed + n) - r.blocks;
                if (needed > freeBlocks) {
                    break;
                }
                queueOf(r).pollFirst();
                freeBlocks -= needed;
                r.blocks += needed;
                r.scheduled = n;
                budget -= n;
                if (Double.isNaN(r.firstScheduled)) {
                    r.firstScheduled = now;
                }
                add(r);
                prefillTokens += n;
                prefillPositions += n * (r.computed + n / 2.0);
                if (n == r.pending()) {
                    prefillDone++;
                }
            }
        }
        if (prefillTokens + decoders == 0) {
            return -1;
        }
        return timer.seconds(prefillTokens, prefillTokens == 0 ? 0 : prefillPositions / prefillTokens, prefillDone,
                decoders, decoders == 0 ? 0 : context / decoders);
    }

    /**
     * Preemptive priorities: a high-priority request that waits for a slot or for blocks takes them from the
     * newest low-priority running request, as many as it takes.
     */
    private boolean makeRoomForHighPriority(Sink sink) {
        boolean any = false;
        Request r = waitingHigh.peekFirst();
        while (r != null && runningCount > 0) {
            boolean short_ = runningCount >= maxSeqs
                    || blocksFor(r.computed + Math.min(r.pending(), maxBatchedTokens)) - r.blocks > freeBlocks;
            if (!short_) {
                break;
            }
            int victim = -1;
            for (int k = runningCount - 1; k >= 0; k--) {
                if (running[k].priority == 1 && running[k].scheduled == 0) {
                    victim = k;
                    break;
                }
            }
            if (victim < 0) {
                break;
            }
            preempt(victim, sink);
            any = true;
        }
        return any;
    }

    /** The request to preempt: the newest (FCFS), or with priorities the newest of the lowest priority. */
    private int victim() {
        if (priority == SchedulerSettings.Priority.NONE) {
            return runningCount - 1;
        }
        int best = runningCount - 1;
        for (int k = runningCount - 1; k >= 0; k--) {
            Request c = running[k];
            Request b = running[best];
            if (c.priority > b.priority || (c.priority == b.priority && c.arrival > b.arrival)) {
                best = k;
            }
        }
        return best;
    }

    private void preempt(int index, Sink sink) {
        Request r = running[index];
        freeBlocks += r.blocks;
        r.blocks = 0;
        r.computed = r.cached;
        r.scheduled = 0;
        r.preemptions++;
        System.arraycopy(running, index + 1, running, index, runningCount - index - 1);
        running[--runningCount] = null;
        queueOf(r).addFirst(r);
        sink.preempted(r);
    }

    private void add(Request r) {
        if (runningCount == running.length) {
            running = java.util.Arrays.copyOf(running, runningCount * 2);
        }
        running[runningCount++] = r;
    }

    /** Applies the step that just ended: computed tokens advance, outputs are emitted, finished requests leave. */
    void finishStep(double now, Sink sink) {
        int kept = 0;
        for (int k = 0; k < runningCount; k++) {
            Request r = running[k];
            if (r.scheduled > 0) {
                r.computed += r.scheduled;
                r.scheduled = 0;
                if (r.computed == r.input + r.generated) {
                    r.generated++;
                    if (r.generated == 1) {
                        sink.firstToken(r, now);
                    }
                    if (r.generated >= r.output) {
                        freeBlocks += r.blocks;
                        r.blocks = 0;
                        sink.finished(r, now, this);
                        continue;
                    }
                }
            }
            running[kept++] = r;
        }
        for (int k = kept; k < runningCount; k++) {
            running[k] = null;
        }
        runningCount = kept;
    }
}
