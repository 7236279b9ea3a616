package io.brook.replication.sim;

/** What happened in one run, or in many added up: to see that the faults really bit. */
final class SimStats {
    long runs;
    long events;
    long simulatedMs;
    long leaderElections;
    long truncations;
    long divergingResponses;
    long acksAll;
    long acksOne;
    long lostAcksOne;
    long staleLeaderAcks;
    long staleAppendAcks;
    long notEnoughReplicas;
    long isrShrinks;
    long isrExpansions;
    long crashes;
    long freezes;
    long cuts;
    long committedOffsets;
    long messagesDropped;

    void add(SimStats other) {
        runs += other.runs;
        events += other.events;
        simulatedMs += other.simulatedMs;
        leaderElections += other.leaderElections;
        truncations += other.truncations;
        divergingResponses += other.divergingResponses;
        acksAll += other.acksAll;
        acksOne += other.acksOne;
        lostAcksOne += other.lostAcksOne;
        staleLeaderAcks += other.staleLeaderAcks;
        staleAppendAcks += other.staleAppendAcks;
        notEnoughReplicas += other.notEnoughReplicas;
        isrShrinks += other.isrShrinks;
        isrExpansions += other.isrExpansions;
        crashes += other.crashes;
        freezes += other.freezes;
        cuts += other.cuts;
        committedOffsets += other.committedOffsets;
        messagesDropped += other.messagesDropped;
    }

    @Override
    public String toString() {
        return runs + " runs, " + events + " events, " + simulatedMs / 1000 + " simulated s; "
            + leaderElections + " leader elections, " + crashes + " crashes, " + freezes + " freezes, " + cuts
            + " link cuts, " + messagesDropped + " messages dropped; " + isrShrinks + " ISR shrinks, " + isrExpansions
            + " expansions; " + divergingResponses + " diverging fetches, " + truncations + " truncations; "
            + acksAll + " acks=all acknowledged (" + staleLeaderAcks + " by a leader already replaced at the controller, "
            + staleAppendAcks + " of them appended after the replacement), "
            + notEnoughReplicas + " NOT_ENOUGH_REPLICAS; " + acksOne + " acks=1 acknowledged, " + lostAcksOne
            + " of them lost; " + committedOffsets + " offsets committed";
    }
}
