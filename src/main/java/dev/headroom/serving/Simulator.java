package dev.headroom.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.HdrHistogram.Histogram;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.ExponentialDistribution;

/**
 * The discrete-event loop: arrivals, replica steps, replicas coming and going, autoscaling decisions and samples
 * on one priority queue ordered by (time, sequence). No wall clock inside: the same inputs and seed give the same
 * result. Each random quantity has its own seeded stream, so changing one (say the output lengths) leaves the
 * others (the arrival times) as they were.
 */
final class Simulator implements Replica.Sink {
    /** A run reports progress this many times. */
    private static final int UPDATES = 50;
    private static final int MAX_POINTS = 600;
    /** Histograms in microseconds. */
    private static final double MICROS = 1e6;

    interface Listener {
        void update(double fraction, SimulationResult partial);
    }

    /** What one run needs besides the load: the replica's step time, its KV blocks and the cluster around it. */
    record Setup(StepTimer timer, long kvBlocks, int blockTokens, int gpusPerReplica, SchedulerSettings scheduler,
                 ClusterSpec cluster, double scaleUpDelaySeconds, CostRates costs, SimulationResult.Capacity capacity,
                 List<String> assumptions, List<String> warnings) {
    }

    private final Setup setup;
    private final Load load;
    private final RunLength length;
    private final Slo slo;
    private final Listener listener;
    private final BooleanSupplier cancelled;

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long sequence;
    private final List<Replica> replicas = new ArrayList<>();
    private final ArrayDeque<Request> routerQueue = new ArrayDeque<>();
    private int roundRobin;

    private final UniformRandomProvider priorityStream;
    private final IntSupplier inputs;
    private final IntSupplier outputs;
    private final ContinuousDistribution.Sampler think;
    private Arrivals.Stream arrivals;
    private int traceIndex;
    private double traceScale = 1;

    private final Histogram ttft = new Histogram(3);
    private final Histogram tpot = new Histogram(3);
    private final Histogram e2e = new Histogram(3);
    private final Histogram queue = new Histogram(3);
    private final Histogram[] classTtft = {new Histogram(3), new Histogram(3)};
    private final Histogram[] classTpot = {new Histogram(3), new Histogram(3)};
    private final double[] classSums = new double[4];
    private final long[] classCounts = new long[2];
    private double ttftSum;
    private double tpotSum;
    private long tpotCount;
    private double e2eSum;
    private double queueSum;
    private long completed;
    private long rejected;
    private long sloMet;
    private long inputTokens;
    private long outputTokens;
    private long preemptions;
    private long issued;
    private boolean arrivalsOver;
    private double arrivalsEnd;

    /** Little's law: the area under requests-in-system over time. */
    private int inSystem;
    private double inSystemArea;
    private double lastChange;
    private double sojournSum;
    /** Sum of the arrival times of the requests in the system, for the time the unfinished ones have spent in it. */
    private double arrivalSumInSystem;
    private long admitted;

    private double sampleInterval;
    private final List<double[]> points = new ArrayList<>();
    private final List<Double[]> windowPoints = new ArrayList<>();
    private Histogram windowTtft = new Histogram(3);
    private Histogram windowTpot = new Histogram(3);
    private final List<SimulationResult.ReplicaPoint> replicaSeries = new ArrayList<>();

    private final Autoscaler autoscaler;
    private double now;
    private double halfwayOutstanding = -1;
    private long halfwayCompleted;
    private long halfwayIssued;
    private int updatesDone;

    Simulator(Setup setup, Load load, RunLength length, Slo slo, long seed, Listener listener, BooleanSupplier cancelled) {
        this.setup = setup;
        this.load = load;
        // A trace with no length given runs all its rows.
        this.length = length.durationSeconds() == null && length.requests() == null
                && load.arrivals() instanceof Arrivals.Trace t ? RunLength.ofRequests(t.trace().size()) : length;
        this.slo = slo;
        this.listener = listener;
        this.cancelled = cancelled;
        UniformRandomProvider arrivalStream = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        UniformRandomProvider inputStream = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 0x9E3779B97F4A7C15L);
        UniformRandomProvider outputStream = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 2 * 0x9E3779B97F4A7C15L);
        this.priorityStream = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 3 * 0x9E3779B97F4A7C15L);
        UniformRandomProvider thinkStream = RandomSource.XO_RO_SHI_RO_128_PP.create(seed + 4 * 0x9E3779B97F4A7C15L);
        boolean trace = load.arrivals() instanceof Arrivals.Trace;
        this.inputs = trace ? null : load.input().sampler(inputStream);
        this.outputs = trace ? null : load.output().sampler(outputStream);
        this.think = load.closedLoop() && load.thinkTimeSeconds() > 0
                ? ExponentialDistribution.of(load.thinkTimeSeconds()).createSampler(thinkStream) : null;
        if (trace) {
            TraceFile t = ((Arrivals.Trace) load.arrivals()).trace();
            if (load.rate() != null && t.span() > 0) {
                traceScale = (t.size() / t.span()) / load.rate();
            }
        } else if (!load.closedLoop()) {
            this.arrivals = load.arrivals().stream(arrivalStream, load.rate());
        }
        this.autoscaler = setup.cluster().autoscaling() == null ? null
                : new Autoscaler(setup.cluster().autoscaling(), setup.scaleUpDelaySeconds());
        this.sampleInterval = initialSampleInterval();
    }

    private double initialSampleInterval() {
        double horizon;
        if (length.durationSeconds() != null) {
            horizon = length.durationSeconds();
        } else if (load.arrivals() instanceof Arrivals.Trace t) {
            horizon = t.trace().span() * traceScale;
        } else if (load.rate() != null) {
            horizon = length.requests() / load.rate();
        } else {
            horizon = length.requests() * (load.thinkTimeSeconds() + 1) / load.users();
        }
        return Math.max(0.01, horizon / (MAX_POINTS / 2.0));
    }

    SimulationResult run() {
        int initial = setup.cluster().autoscaling() != null
                ? Math.max(setup.cluster().replicas(), setup.cluster().autoscaling().minReplicas())
                : setup.cluster().replicas();
        for (int i = 0; i < initial; i++) {
            Replica r = newReplica(0);
            r.state = Replica.State.READY;
            r.readyAt = 0;
        }
        replicaSeries.add(new SimulationResult.ReplicaPoint(0, initial));
        if (load.closedLoop()) {
            for (int u = 0; u < load.users(); u++) {
                Event e = new Event(Event.USER_REQUEST, null);
                e.user = u;
                post(e, think == null ? 0 : think.sample());
            }
        } else {
            Event first = new Event(Event.ARRIVAL, null);
            double t = nextArrivalTime();
            if (Double.isNaN(t)) {
                arrivalsOver = true;
            } else {
                post(first, t);
            }
        }
        post(new Event(Event.SAMPLE, null), sampleInterval);
        if (autoscaler != null) {
            post(new Event(Event.AUTOSCALE, null), autoscaler.policy.intervalSeconds());
        }
        long handled = 0;
        while (!events.isEmpty()) {
            if (arrivalsOver && inSystem == 0 && routerQueue.isEmpty()) {
                break;
            }
            Event e = events.poll();
            now = e.time;
            switch (e.type) {
                case Event.ARRIVAL -> arrival(e);
                case Event.USER_REQUEST -> userRequest(e);
                case Event.STEP_END -> stepEnd(e.replica);
                case Event.REPLICA_READY -> replicaReady(e.replica);
                case Event.AUTOSCALE -> autoscale(e);
                case Event.SAMPLE -> sample(e);
                default -> throw new IllegalStateException("event " + e.type);
            }
            if ((++handled & 4095) == 0) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("simulation cancelled");
                }
                report();
            }
            if (arrivalsOver && !stableSoFar()) {
                break; // a queue that grows without bound never drains: stop at the end of arrivals
            }
        }
        return result(true);
    }

    // ---- arrivals -------------------------------------------------------------------------------------------

    /** The next open-loop arrival time, or NaN when the run's arrivals are over. */
    private double nextArrivalTime() {
        if (length.requests() != null && issued >= length.requests()) {
            return Double.NaN;
        }
        double t;
        if (load.arrivals() instanceof Arrivals.Trace tr) {
            TraceFile trace = tr.trace();
            if (traceIndex >= trace.size()) {
                return Double.NaN;
            }
            t = (trace.arrival(traceIndex) - trace.arrival(0)) * traceScale;
        } else {
            t = arrivals.next();
        }
        if (length.durationSeconds() != null && t > length.durationSeconds()) {
            return Double.NaN;
        }
        return t;
    }

    private void arrival(Event e) {
        int in;
        int out;
        if (load.arrivals() instanceof Arrivals.Trace tr) {
            in = tr.trace().input(traceIndex);
            out = tr.trace().output(traceIndex);
            traceIndex++;
        } else {
            in = inputs.getAsInt();
            out = outputs.getAsInt();
        }
        admit(in, out, -1);
        double t = nextArrivalTime();
        if (Double.isNaN(t)) {
            endOfArrivals();
        } else {
            post(e, t);
        }
    }

    private void userRequest(Event e) {
        if (arrivalsOver) {
            return;
        }
        admit(inputs.getAsInt(), outputs.getAsInt(), e.user);
        if ((length.requests() != null && issued >= length.requests())
                || (length.durationSeconds() != null && now >= length.durationSeconds())) {
            endOfArrivals();
        }
    }

    private void endOfArrivals() {
        arrivalsOver = true;
        arrivalsEnd = now;
    }

    private void admit(int in, int out, int user) {
        issued++;
        if (halfwayOutstanding < 0 && passedHalfway()) {
            halfwayOutstanding = inSystem + routerQueue.size();
            halfwayCompleted = completed;
            halfwayIssued = issued;
        }
        // A request longer than a replica's whole KV cache can never run (vLLM refuses it at start-up or on arrival).
        if ((in + out + setup.blockTokens() - 1) / setup.blockTokens() > setup.kvBlocks()) {
            rejected++;
            if (user >= 0) {
                scheduleNextUserRequest(user);
            }
            return;
        }
        int cached = 0;
        if (load.prefixHitRate() > 0) {
            int block = setup.blockTokens();
            cached = Math.min((int) (load.prefixHitRate() * in) / block * block, (in - 1) / block * block);
        }
        int priority = load.highPriorityShare() > 0 && priorityStream.nextDouble() >= load.highPriorityShare() ? 1 : 0;
        Request r = new Request(now, in, out, cached, priority, user);
        changeInSystem(+1);
        admitted++;
        arrivalSumInSystem += now;
        dispatch(r);
    }

    private boolean passedHalfway() {
        if (length.requests() != null) {
            return issued >= length.requests() / 2;
        }
        return now >= length.durationSeconds() / 2;
    }

    private void dispatch(Request r) {
        Replica target = pick();
        if (target == null || (setup.cluster().routerQueue() && !target.hasRoom())) {
            routerQueue.addLast(r);
            return;
        }
        target.enqueue(r);
        if (!target.busy) {
            startStep(target);
        }
    }

    /** The replica the balancer chooses among those serving; null when none serves. */
    private Replica pick() {
        Replica best = null;
        int serving = 0;
        for (Replica r : replicas) {
            if (r.state == Replica.State.READY) {
                serving++;
            }
        }
        if (serving == 0) {
            return null;
        }
        switch (setup.cluster().balancer()) {
            case ROUND_ROBIN -> {
                int k = roundRobin++ % serving;
                for (Replica r : replicas) {
                    if (r.state == Replica.State.READY && k-- == 0) {
                        return r;
                    }
                }
            }
            case LEAST_OUTSTANDING -> {
                for (Replica r : replicas) {
                    if (r.state == Replica.State.READY && (best == null || r.outstanding() < best.outstanding())) {
                        best = r;
                    }
                }
            }
            case LEAST_KV -> {
                for (Replica r : replicas) {
                    if (r.state == Replica.State.READY && (best == null || r.kvUse() < best.kvUse()
                            || (r.kvUse() == best.kvUse() && r.outstanding() < best.outstanding()))) {
                        best = r;
                    }
                }
            }
        }
        return best;
    }

    // ---- steps ----------------------------------------------------------------------------------------------

    private void startStep(Replica r) {
        double seconds = r.schedule(now, this);
        if (seconds < 0) {
            r.busy = false;
            return;
        }
        r.busy = true;
        r.busySeconds += seconds;
        post(r.stepEnd, now + seconds);
    }

    private void stepEnd(Replica r) {
        r.finishStep(now, this);
        if (setup.cluster().routerQueue()) {
            while (!routerQueue.isEmpty() && r.state == Replica.State.READY && r.hasRoom()) {
                r.enqueue(routerQueue.pollFirst());
            }
        }
        startStep(r);
        if (!r.busy && r.state == Replica.State.DRAINING && r.outstanding() == 0) {
            r.state = Replica.State.GONE;
            r.goneAt = now;
            replicaSeries.add(new SimulationResult.ReplicaPoint(now, serving()));
        }
    }

    @Override
    public void firstToken(Request r, double at) {
        double t = at - r.arrival;
        ttft.recordValue(micros(t));
        windowTtft.recordValue(micros(t));
        ttftSum += t;
        double q = r.firstScheduled - r.arrival;
        queue.recordValue(micros(q));
        queueSum += q;
        r.firstToken = at;
        if (autoscaler != null) {
            autoscaler.ttft(t);
        }
    }

    @Override
    public void finished(Request r, double at, Replica replica) {
        double total = at - r.arrival;
        double ttftSeconds = r.firstToken - r.arrival;
        double perToken = r.output > 1 ? (total - ttftSeconds) / (r.output - 1) : 0;
        if (r.output > 1) {
            tpot.recordValue(micros(perToken));
            windowTpot.recordValue(micros(perToken));
            tpotSum += perToken;
            tpotCount++;
            classTpot[r.priority].recordValue(micros(perToken));
            classSums[2 + r.priority] += perToken;
        }
        classTtft[r.priority].recordValue(micros(ttftSeconds));
        classSums[r.priority] += ttftSeconds;
        classCounts[r.priority]++;
        e2e.recordValue(micros(total));
        e2eSum += total;
        sojournSum += total;
        completed++;
        inputTokens += r.input;
        outputTokens += r.output;
        if (slo.met(ttftSeconds, perToken)) {
            sloMet++;
        }
        changeInSystem(-1);
        arrivalSumInSystem -= r.arrival;
        if (r.user >= 0) {
            scheduleNextUserRequest(r.user);
        }
    }

    private void scheduleNextUserRequest(int user) {
        if (arrivalsOver) {
            return;
        }
        Event e = new Event(Event.USER_REQUEST, null);
        e.user = user;
        post(e, now + (think == null ? 0 : think.sample()));
    }

    @Override
    public void preempted(Request r) {
        preemptions++;
    }

    private void changeInSystem(int delta) {
        inSystemArea += inSystem * (now - lastChange);
        lastChange = now;
        inSystem += delta;
    }

    private static long micros(double seconds) {
        return Math.max(0, Math.round(seconds * MICROS));
    }

    // ---- replicas and autoscaling ---------------------------------------------------------------------------

    private Replica newReplica(double at) {
        Replica r = new Replica(replicas.size(), setup.timer(), setup.blockTokens(), setup.kvBlocks(),
                setup.scheduler(), at);
        r.state = Replica.State.STARTING;
        replicas.add(r);
        return r;
    }

    private int serving() {
        int n = 0;
        for (Replica r : replicas) {
            if (r.state == Replica.State.READY) {
                n++;
            }
        }
        return n;
    }

    private void replicaReady(Replica r) {
        r.state = Replica.State.READY;
        r.readyAt = now;
        replicaSeries.add(new SimulationResult.ReplicaPoint(now, serving()));
        while (!routerQueue.isEmpty() && (!setup.cluster().routerQueue() || r.hasRoom())) {
            r.enqueue(routerQueue.pollFirst());
        }
        if (!r.busy) {
            startStep(r);
        }
    }

    private void autoscale(Event e) {
        Autoscaling policy = autoscaler.policy;
        int ready = 0;
        int starting = 0;
        int waiting = routerQueue.size();
        double busy = 0;
        for (Replica r : replicas) {
            if (r.state == Replica.State.READY) {
                ready++;
                waiting += r.waiting();
            } else if (r.state == Replica.State.STARTING) {
                starting++;
            }
            if (r.state != Replica.State.GONE && r.state != Replica.State.STARTING) {
                busy += r.busySeconds;
            }
        }
        int desired = autoscaler.desired(now, ready, starting, waiting, busy);
        int current = ready + starting;
        if (desired > current) {
            for (int i = current; i < desired; i++) {
                Replica r = newReplica(now);
                Event ready_ = new Event(Event.REPLICA_READY, r);
                post(ready_, now + autoscaler.delay);
            }
        } else if (desired < current) {
            // The newest serving replicas leave first; each drains what it holds.
            for (int i = replicas.size() - 1; i >= 0 && current > desired; i--) {
                Replica r = replicas.get(i);
                if (r.state == Replica.State.READY) {
                    r.state = Replica.State.DRAINING;
                    current--;
                    if (!r.busy && r.outstanding() == 0) {
                        r.state = Replica.State.GONE;
                        r.goneAt = now;
                    }
                }
            }
            replicaSeries.add(new SimulationResult.ReplicaPoint(now, serving()));
        }
        if (!arrivalsOver || inSystem > 0) {
            post(e, now + policy.intervalSeconds());
        }
    }

    // ---- samples, progress and the result -------------------------------------------------------------------

    private void sample(Event e) {
        int waiting = routerQueue.size();
        int running = 0;
        double kv = 0;
        int ready = 0;
        for (Replica r : replicas) {
            if (r.state == Replica.State.GONE) {
                continue;
            }
            waiting += r.waiting();
            running += r.runningCount;
            if (r.state == Replica.State.READY || r.state == Replica.State.DRAINING) {
                kv += r.kvUse();
                ready++;
            }
        }
        points.add(new double[] {now, waiting, running, ready == 0 ? 0 : kv / ready, ready});
        windowPoints.add(new Double[] {p99(windowTtft), p99(windowTpot)});
        windowTtft = new Histogram(3);
        windowTpot = new Histogram(3);
        if (points.size() >= MAX_POINTS) {
            halvePoints();
        }
        if (!arrivalsOver || inSystem > 0) {
            post(e, now + sampleInterval);
        }
    }

    /** Keeps every other sample and doubles the interval, so a long run stays within MAX_POINTS. */
    private void halvePoints() {
        List<double[]> kept = new ArrayList<>();
        List<Double[]> keptWindows = new ArrayList<>();
        for (int i = 1; i < points.size(); i += 2) {
            kept.add(points.get(i));
            Double[] a = windowPoints.get(i - 1);
            Double[] b = windowPoints.get(i);
            keptWindows.add(new Double[] {max(a[0], b[0]), max(a[1], b[1])});
        }
        points.clear();
        points.addAll(kept);
        windowPoints.clear();
        windowPoints.addAll(keptWindows);
        sampleInterval *= 2;
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(Math.max(a, b));
    }

    private static Double p99(Histogram h) {
        return h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99) / MICROS;
    }

    private void report() {
        if (listener == null) {
            return;
        }
        double fraction = progress();
        if (fraction * UPDATES >= updatesDone + 1) {
            updatesDone = (int) (fraction * UPDATES);
            listener.update(fraction, result(false));
        }
    }

    private double progress() {
        if (arrivalsOver) {
            return 1;
        }
        if (length.requests() != null) {
            return (double) issued / length.requests();
        }
        return Math.min(1, now / length.durationSeconds());
    }

    /**
     * Open-loop runs only: the backlog grew by more than 3 % of the second half's arrivals (and by more than 100
     * requests) while arrivals went on, so completions fall behind arrivals (serving-and-planning.md §3).
     */
    private boolean stableSoFar() {
        if (load.closedLoop() || halfwayOutstanding < 0) {
            return true;
        }
        double backlog = inSystem + routerQueue.size();
        double growth = backlog - halfwayOutstanding;
        double secondHalf = issued - halfwayIssued;
        return !(growth > 100 && growth > 0.03 * secondHalf);
    }

    private void post(Event e, double at) {
        e.time = at;
        e.sequence = sequence++;
        events.add(e);
    }

    SimulationResult result(boolean last) {
        double end = now;
        boolean stable = stableSoFar();
        double span = Math.max(end, 1e-9);
        double replicaSeconds = 0;
        double busySeconds = 0;
        for (Replica r : replicas) {
            double until = Double.isNaN(r.goneAt) ? end : r.goneAt;
            replicaSeconds += Math.max(0, until - r.startedAt);
            busySeconds += r.busySeconds;
        }
        double readySeconds = 0;
        for (Replica r : replicas) {
            if (r.state != Replica.State.STARTING) {
                double until = Double.isNaN(r.goneAt) ? end : r.goneAt;
                readySeconds += Math.max(0, until - r.readyAt);
            }
        }
        double utilization = readySeconds <= 0 ? 0 : Math.min(1, busySeconds / readySeconds);
        double gpuHours = replicaSeconds * setup.gpusPerReplica() / 3600;
        CostRates c = setup.costs();
        Double owned = c.ownedFixedPerGpuHour() == null ? null
                : gpuHours * (c.ownedFixedPerGpuHour() + utilization * c.energyBusyPerGpuHour()
                + (1 - utilization) * c.energyIdlePerGpuHour());
        Double cloud = c.cloudPerGpuHour() == null ? null : gpuHours * c.cloudPerGpuHour();
        double arrivalSpan = arrivalsOver ? Math.max(arrivalsEnd, 1e-9) : span;
        String verdict;
        List<String> warnings = new ArrayList<>(setup.warnings());
        if (!stable) {
            double arrivalRate = issued / arrivalSpan;
            double served = completed / span;
            verdict = String.format(Locale.ROOT, "unstable: arrivals exceed what %d %s (%.3g requests/s"
                            + " arrive, %.3g/s complete; about %.3g/s per replica at this length mix)",
                    serving(), serving() == 1 ? "replica serves" : "replicas serve", arrivalRate, served,
                    setup.capacity() == null ? served / Math.max(1, serving()) : setup.capacity().requestsPerSecondPerReplica());
        } else if (completed == 0) {
            verdict = "no request completed";
        } else if (slo.any()) {
            boolean ttftOk = slo.ttftSeconds() == null || ttft.getValueAtPercentile(99) / MICROS <= slo.ttftSeconds();
            boolean tpotOk = slo.tpotSeconds() == null || tpotCount == 0
                    || tpot.getValueAtPercentile(99) / MICROS <= slo.tpotSeconds();
            verdict = ttftOk && tpotOk ? "meets the SLOs" : "misses the SLOs:" + (ttftOk ? "" : String.format(Locale.ROOT,
                    " p99 TTFT %.3g s > %.3g s", ttft.getValueAtPercentile(99) / MICROS, slo.ttftSeconds()))
                    + (tpotOk ? "" : String.format(Locale.ROOT, " p99 TPOT %.3g s > %.3g s",
                    tpot.getValueAtPercentile(99) / MICROS, slo.tpotSeconds()));
        } else {
            verdict = "stable";
        }
        if (rejected > 0) {
            warnings.add(rejected + " requests were refused: prompt + output need more KV blocks than a replica holds ("
                    + setup.kvBlocks() + " of " + setup.blockTokens() + " tokens)");
        }
        // Over [0, end]: every admitted request's time in the system so far, finished or not, so the identity holds
        // for a run stopped while a backlog grows as well as for one that drained.
        double lambda = admitted / span;
        double meanIn = (inSystemArea + inSystem * (end - lastChange)) / span;
        double meanW = admitted == 0 ? 0 : (sojournSum + inSystem * end - arrivalSumInSystem) / admitted;
        SimulationResult.LittlesLaw little = new SimulationResult.LittlesLaw(meanIn, lambda, meanW,
                meanIn == 0 ? 0 : Math.abs(meanIn - lambda * meanW) / meanIn);
        List<SimulationResult.ClassLatency> classes = load.highPriorityShare() > 0 ? List.of(
                new SimulationResult.ClassLatency("high", classCounts[0], latency(classTtft[0], classSums[0], classCounts[0]),
                        latency(classTpot[0], classSums[2], classTpot[0].getTotalCount())),
                new SimulationResult.ClassLatency("low", classCounts[1], latency(classTtft[1], classSums[1], classCounts[1]),
                        latency(classTpot[1], classSums[3], classTpot[1].getTotalCount()))) : List.of();
        return new SimulationResult(stable, verdict, completed, rejected, end,
                stable ? latency(ttft, ttftSum, completed) : null,
                stable ? latency(tpot, tpotSum, tpotCount) : null,
                stable ? latency(e2e, e2eSum, completed) : null,
                stable ? latency(queue, queueSum, completed) : null,
                new SimulationResult.Throughput(completed / span, inputTokens / span, outputTokens / span),
                slo.any() && stable ? sloMet / span : null,
                slo.any() && completed > 0 ? (double) sloMet / completed : null, slo, preemptions,
                List.copyOf(replicaSeries), timeSeries(), utilization,
                new SimulationResult.Cost(gpuHours, owned, cloud, c.cloudOffer(), c.cloudPerGpuHour()), null, little,
                setup.capacity(), classes, null, setup.assumptions(), warnings);
    }

    private static SimulationResult.Latency latency(Histogram h, double sum, long count) {
        if (h.getTotalCount() == 0) {
            return null;
        }
        double[] quantiles = new double[SimulationResult.Latency.LEVELS.length];
        for (int i = 0; i < quantiles.length; i++) {
            double level = SimulationResult.Latency.LEVELS[i];
            quantiles[i] = (level == 0 ? h.getMinValue() : h.getValueAtPercentile(level)) / MICROS;
        }
        return new SimulationResult.Latency(h.getValueAtPercentile(50) / MICROS, h.getValueAtPercentile(90) / MICROS,
                h.getValueAtPercentile(99) / MICROS, h.getMaxValue() / MICROS, count == 0 ? 0 : sum / count, quantiles);
    }

    private SimulationResult.TimeSeries timeSeries() {
        int n = points.size();
        double[] t = new double[n];
        double[] w = new double[n];
        double[] run = new double[n];
        double[] kv = new double[n];
        double[] rep = new double[n];
        Double[] tt = new Double[n];
        Double[] tp = new Double[n];
        for (int i = 0; i < n; i++) {
            double[] p = points.get(i);
            t[i] = p[0];
            w[i] = p[1];
            run[i] = p[2];
            kv[i] = p[3];
            rep[i] = p[4];
            tt[i] = windowPoints.get(i)[0];
            tp[i] = windowPoints.get(i)[1];
        }
        return new SimulationResult.TimeSeries(sampleInterval, t, w, run, kv, rep, tt, tp);
    }

    /** The autoscaling policy's state: windows of queue, busy time and TTFT, and when it last scaled. */
    private final class Autoscaler {
        final Autoscaling policy;
        final double delay;
        private final int slots;
        private final double[] waitingRing;
        private final double[] busyRing;
        private final int[] readyRing;
        private final Histogram[] ttftRing;
        private int slot;
        private long ticks;
        private double lastBusy;
        private double lastScale = Double.NEGATIVE_INFINITY;

        Autoscaler(Autoscaling policy, double delay) {
            this.policy = policy;
            this.delay = delay;
            this.slots = Math.max(1, (int) Math.round(policy.windowSeconds() / policy.intervalSeconds()));
            this.waitingRing = new double[slots];
            this.busyRing = new double[slots];
            this.readyRing = new int[slots];
            this.ttftRing = new Histogram[slots];
            for (int i = 0; i < slots; i++) {
                ttftRing[i] = new Histogram(3);
            }
        }

        void ttft(double seconds) {
            ttftRing[slot].recordValue(micros(seconds));
        }

        int desired(double at, int ready, int starting, int waiting, double busyTotal) {
            waitingRing[slot] = waiting;
            busyRing[slot] = busyTotal - lastBusy;
            readyRing[slot] = ready;
            lastBusy = busyTotal;
            ticks++;
            int filled = (int) Math.min(ticks, slots);
            double metric;
            switch (policy.metric()) {
                case QUEUE -> {
                    double sum = 0;
                    for (int i = 0; i < filled; i++) {
                        sum += waitingRing[i];
                    }
                    metric = sum / filled / Math.max(1, ready);
                }
                case UTILIZATION -> {
                    double busy = 0;
                    double capacity = 0;
                    for (int i = 0; i < filled; i++) {
                        busy += busyRing[i];
                        capacity += readyRing[i] * policy.intervalSeconds();
                    }
                    metric = capacity <= 0 ? 0 : Math.min(1, busy / capacity);
                }
                default -> {
                    Histogram merged = new Histogram(3);
                    for (int i = 0; i < filled; i++) {
                        merged.add(ttftRing[i]);
                    }
                    metric = merged.getTotalCount() == 0 ? 0 : merged.getValueAtPercentile(99) / MICROS;
                }
            }
            slot = (slot + 1) % slots;
            ttftRing[slot].reset();
            int current = ready + starting;
            int wanted = (int) Math.ceil(Math.max(1, ready) * metric / policy.target());
            int desired = current;
            if (metric > policy.target() && starting == 0) {
                desired = Math.max(current + 1, wanted);
            } else if (metric < policy.target() / 2 && at - lastScale >= policy.cooldownSeconds() && starting == 0) {
                // One replica at a time: a queue metric reads 0 while the running batch still carries the load,
                // and dropping to ceil(current x metric / target) at once would pile it on the few that stay.
                desired = Math.max(policy.minReplicas(), current - 1);
            }
            desired = Math.max(policy.minReplicas(), Math.min(policy.maxReplicas(), desired));
            if (desired != current) {
                lastScale = at;
            }
            return desired;
        }
    }
}
