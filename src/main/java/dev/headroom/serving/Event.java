package dev.headroom.serving;

/** An event on the simulator's one queue, ordered by time and then by when it was scheduled (deterministic ties). */
final class Event implements Comparable<Event> {
    static final int ARRIVAL = 0;
    static final int STEP_END = 1;
    static final int REPLICA_READY = 2;
    static final int AUTOSCALE = 3;
    static final int SAMPLE = 4;
    static final int USER_REQUEST = 5;

    final int type;
    final Replica replica;
    double time;
    long sequence;
    int user;

    Event(int type, Replica replica) {
        this.type = type;
        this.replica = replica;
    }

    @Override
    public int compareTo(Event o) {
        int c = Double.compare(time, o.time);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
