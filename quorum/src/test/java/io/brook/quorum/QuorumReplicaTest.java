package io.brook.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.quorum.QuorumMessages.QuorumFetchRequest;
import io.brook.quorum.QuorumMessages.QuorumFetchResponse;
import io.brook.quorum.QuorumMessages.QuorumVoteRequest;
import io.brook.quorum.QuorumMessages.QuorumVoteResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** The quorum replica's rules, one at a time, on a synchronous network with a manual clock. */
class QuorumReplicaTest {
  private static final String CLUSTER = "test-cluster-00000000A";
  private static final QuorumConfig CONFIG = new QuorumConfig(Map.of(
      QuorumConfig.FETCH_TIMEOUT_MS_CONFIG, "1000", QuorumConfig.ELECTION_TIMEOUT_MS_CONFIG, "300",
      QuorumConfig.ELECTION_BACKOFF_MAX_MS_CONFIG, "100", QuorumConfig.FETCH_MAX_WAIT_MS_CONFIG, "100"));

  /** Replicas wired to each other; messages go only when {@link #pump} runs, and never to a replica that is {@link #cut}. */
  private static final class Net {
    final Map<Integer, ReplicaKey> keys = new HashMap<>();
    final Map<Integer, InMemoryQuorumLog> logs = new HashMap<>();
    final Map<Integer, ElectionStateStore.InMemory> stores = new HashMap<>();
    final Map<Integer, QuorumReplica> replicas = new HashMap<>();
    final Set<Integer> cut = new HashSet<>();
    long now = 1_000;

    Net(int... ids) {
      for (int id : ids) {
        keys.put(id, new ReplicaKey(id, new Uuid(7, id).toString()));
        logs.put(id, new InMemoryQuorumLog());
        stores.put(id, new ElectionStateStore.InMemory());
        start(id);
      }
    }

    QuorumReplica start(int id) {
      VoterHistory history = new VoterHistory();
      ControlRecords.votersIn(logs.get(id).read(0, Integer.MAX_VALUE)).forEach(v -> history.add(v.offset(), v.voters()));
      QuorumReplica replica = new QuorumReplica(keys.get(id), CLUSTER, CONFIG, logs.get(id), stores.get(id), history,
          new Random(id), now);
      replicas.put(id, replica);
      return replica;
    }

    QuorumReplica r(int id) {
      return replicas.get(id);
    }

    /** Delivers every message (and answer) until there is none left; a held fetch is answered empty. */
    void pump() {
      boolean moved = true;
      for (int round = 0; moved && round < 200; round++) {
        moved = false;
        for (int from : List.copyOf(replicas.keySet())) {
          for (Outbound out : replicas.get(from).drainOutbox()) {
            moved = true;
            deliver(from, out);
          }
        }
      }
    }

    private void deliver(int from, Outbound out) {
      QuorumReplica sender = replicas.get(from);
      QuorumReplica target = replicas.get(out.to());
      boolean lost = target == null || cut.contains(from) || cut.contains(out.to());
      if (out instanceof Outbound.SendVote vote) {
        if (!lost) {
          QuorumVoteResponse answer = target.handleVote(vote.request(), now);
          sender.onVoteResponse(out.to(), answer, now);
        }
      } else if (out instanceof Outbound.SendFetch fetch) {
        if (lost) {
          sender.onFetchFailed(fetch.fetchId(), now);
          return;
        }
        QuorumReplica.FetchVerdict verdict = target.handleFetch(fetch.request(), now);
        if (verdict instanceof QuorumReplica.FetchVerdict.Park) {
          verdict = target.handleFetch(known(fetch.request(), -1), now);
        }
        sender.onFetchResponse(out.to(), fetch.fetchId(), ((QuorumReplica.FetchVerdict.Answer) verdict).response(), now);
      } else if (out instanceof Outbound.SendBeginEpoch begin && !lost) {
        target.handleBeginEpoch(begin.message(), now);
      }
    }

    /** Moves the clock in steps, ticking every replica and pumping messages. */
    void advance(long ms) {
      for (long t = 0; t < ms; t += 10) {
        now += 10;
        for (int id : List.copyOf(replicas.keySet())) {
          if (!cut.contains(id)) {
            replicas.get(id).tick(now);
          }
        }
        pump();
      }
    }

    int leader() {
      return replicas.entrySet().stream().filter(e -> !cut.contains(e.getKey()) && e.getValue().role() == Role.LEADER)
          .mapToInt(Map.Entry::getKey).max().orElse(-1);
    }

    /** Founds the cluster on {@code founder} and lets its leader add the others, one at a time. */
    void formCluster(int founder) {
      replicas.values().forEach(r -> r.joinCluster(CLUSTER));
      r(founder).bootstrap(CLUSTER, now);
      r(founder).tick(now);
      for (QuorumReplica other : replicas.values()) {
        if (other != r(founder)) {
          other.handleBeginEpoch(new QuorumMessages.QuorumBeginEpoch(CLUSTER, r(founder).epoch(), founder), now);
        }
      }
      pump();
      for (int id : keys.keySet()) {
        if (id != founder) {
          advance(50);
          VoterSet voters = r(founder).voters().orElseThrow();
          r(founder).appendVoters(voters.with(keys.get(id)), r(founder).epoch(), now);
          advance(50);
        }
      }
    }

    long append(int leader, String value) {
      MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
      return r(leader).appendAsLeader(records, r(leader).epoch());
    }
  }

  private static QuorumFetchRequest known(QuorumFetchRequest r, long highWatermark) {
    return new QuorumFetchRequest(r.clusterId(), r.replicaId(), r.directoryId(), r.epoch(), r.fetchOffset(),
        r.lastFetchedEpoch(), highWatermark, r.maxBytes(), r.maxWaitMs(), r.lastResponseSentMs());
  }

  @Test
  void aSingleVoterLeadsAtOnceAndCommitsWhatItWrites() {
    Net net = new Net(1);
    net.r(1).bootstrap(CLUSTER, net.now);
    assertThat(net.r(1).role()).isEqualTo(Role.LEADER);
    assertThat(net.r(1).epoch()).isEqualTo(1);
    long offset = net.append(1, "a");
    assertThat(net.r(1).highWatermark()).isEqualTo(offset + 1);
    assertThat(net.r(1).mayAct(net.now)).isTrue();
  }

  @Test
  void aRecordIsCommittedOnlyOnceAMajorityOfVotersHaveIt() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    net.cut.add(2);
    net.cut.add(3);
    long offset = net.append(1, "x");
    net.pump();
    assertThat(net.r(1).highWatermark()).as("alone, the leader commits nothing").isLessThanOrEqualTo(offset);
    net.cut.remove(2);
    net.advance(100);
    assertThat(net.r(1).highWatermark()).as("with one follower: a majority of three").isGreaterThan(offset);
    assertThat(net.logs.get(2).entries()).contains(net.logs.get(1).entries().get((int) offset));
  }

  @Test
  void aReplicaWithAStaleLogCannotBeElectedAndFollowsTheUpToDateOne() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    net.cut.add(3);
    for (int i = 0; i < 5; i++) {
      net.append(1, "while-3-was-down-" + i);
    }
    net.advance(100);
    long committed = net.r(1).highWatermark();
    // everyone goes down; the stale broker 3 comes back first
    net.cut.clear();
    net.replicas.clear();
    net.start(3);
    net.advance(3_000);
    assertThat(net.r(3).role()).as("alone it cannot lead").isNotEqualTo(Role.LEADER);
    net.start(2);
    net.advance(3_000);
    assertThat(net.leader()).as("the up-to-date broker 2 wins").isEqualTo(2);
    assertThat(net.r(3).highWatermark()).isGreaterThanOrEqualTo(committed);
    assertThat(net.logs.get(3).entries().subList(0, (int) committed))
        .isEqualTo(net.logs.get(1).entries().subList(0, (int) committed));
  }

  @Test
  void aVoterVotesOncePerEpochEvenAfterARestart() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    net.cut.add(1);
    net.advance(2_000); // 2 and 3 lose the leader; one of them wins epoch 2
    int winner = net.leader();
    assertThat(winner).isIn(2, 3);
    int loser = winner == 2 ? 3 : 2;
    int epoch = net.r(winner).epoch();
    ElectionState vote = net.stores.get(loser).read();
    assertThat(vote.epoch()).isEqualTo(epoch);
    net.start(loser); // a restart keeps the vote
    QuorumVoteRequest other = new QuorumVoteRequest(CLUSTER, 1, net.keys.get(1).directoryId(), loser,
        net.keys.get(loser).directoryId(), epoch, 99, 1_000, false);
    assertThat(net.r(loser).handleVote(other, net.now).granted()).isFalse();
  }

  @Test
  void votersHearingFromTheirLeaderRefuseToDeposeIt() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    int epoch = net.r(1).epoch();
    for (boolean preVote : new boolean[] {true, false}) {
      QuorumVoteRequest request = new QuorumVoteRequest(CLUSTER, 3, net.keys.get(3).directoryId(), 2,
          net.keys.get(2).directoryId(), epoch + 1, 99, 1_000, preVote);
      assertThat(net.r(2).handleVote(request, net.now).granted()).as("preVote=%s", preVote).isFalse();
    }
    assertThat(net.r(2).epoch()).isEqualTo(epoch);
  }

  /**
   * Lossy links: voter 3 won a pre-vote from a voter that had briefly lost the leader, then its vote
   * requests were lost, and the voters heard from their leader again. It is now alone in a higher epoch;
   * the quorum must take it back by itself (it may neither follow an older epoch nor win).
   */
  @Test
  void aVoterLeftInAHigherEpochAfterLossyLinksIsTakenBack() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    int epoch = net.r(1).epoch();
    net.cut.add(3);
    net.advance(CONFIG.fetchTimeoutMs() + 100);
    net.r(3).tick(net.now);
    assertThat(net.r(3).role()).isEqualTo(Role.PROSPECTIVE);
    net.r(3).drainOutbox(); // its pre-votes are lost
    // voter 2's grant, given while it briefly did not hear from leader 1, arrives late
    net.r(3).onVoteResponse(2, new QuorumVoteResponse(Errors.NONE.code(), epoch, -1, true, true), net.now);
    assertThat(net.r(3).role()).isEqualTo(Role.CANDIDATE);
    assertThat(net.r(3).epoch()).isEqualTo(epoch + 1);
    net.r(3).drainOutbox(); // and its vote requests are lost too
    net.cut.clear();

    net.advance(10_000);

    int leader = net.leader();
    assertThat(leader).as("a leader after the links healed").isPositive();
    for (int id : List.of(1, 2, 3)) {
      assertThat(net.r(id).epoch()).as("replica %d's epoch", id).isEqualTo(net.r(leader).epoch());
      assertThat(net.r(id).role()).as("replica %d", id).isIn(Role.LEADER, Role.FOLLOWER);
    }
    long offset = net.append(leader, "after-the-loss");
    net.advance(200);
    for (int id : List.of(1, 2, 3)) {
      assertThat(net.r(id).highWatermark()).as("replica %d has the new record committed", id).isGreaterThan(offset);
    }
  }

  @Test
  void aLeaderCutOffFromItsVotersStopsActingThenResigns() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    assertThat(net.r(1).mayAct(net.now)).isTrue();
    net.cut.add(2);
    net.cut.add(3);
    net.now += CONFIG.fetchTimeoutMs();
    assertThat(net.r(1).mayAct(net.now)).as("lease: no majority contact within the fetch timeout").isFalse();
    net.now += CONFIG.fetchTimeoutMs();
    net.r(1).tick(net.now);
    assertThat(net.r(1).role()).isEqualTo(Role.UNATTACHED);
    assertThatThrownBy(() -> net.append(1, "late")).isInstanceOf(NotControllerException.class);
  }

  @Test
  void aFormerLeadersUncommittedTailIsTruncatedAway() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    long committed = net.r(1).highWatermark();
    net.cut.add(1);
    net.append(1, "never-committed"); // only leader 1 has it
    net.advance(2_000);
    int newLeader = net.leader();
    assertThat(newLeader).isIn(2, 3);
    net.append(newLeader, "committed-by-new-leader");
    net.advance(100);
    net.cut.clear();
    net.advance(2_000);
    assertThat(net.r(1).role()).isEqualTo(Role.FOLLOWER);
    assertThat(net.logs.get(1).entries()).isEqualTo(net.logs.get(newLeader).entries())
        .noneMatch(e -> e.endsWith(":never-committed"));
    assertThat(net.r(1).highWatermark()).isGreaterThan(committed);
  }

  @Test
  void aReplicaWithAReplacedDirectoryCannotVoteAsTheVoterItWas() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    ReplicaKey wiped = new ReplicaKey(2, new Uuid(8, 2).toString());
    QuorumReplica fresh = new QuorumReplica(wiped, CLUSTER, CONFIG, new InMemoryQuorumLog(),
        new ElectionStateStore.InMemory(), new VoterHistory(), new Random(2), net.now);
    QuorumVoteRequest request = new QuorumVoteRequest(CLUSTER, 3, net.keys.get(3).directoryId(), 2,
        net.keys.get(2).directoryId(), 5, 99, 1_000, false);
    QuorumVoteResponse answer = fresh.handleVote(request, net.now);
    assertThat(answer.granted()).isFalse();
    assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
  }

  @Test
  void anotherClustersReplicaIsRefused() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    QuorumFetchRequest foreign = new QuorumFetchRequest("other-cluster-000000000", 9, new Uuid(1, 9).toString(),
        net.r(1).epoch(), 0, -1, 0, 1024, 0, -1);
    QuorumReplica.FetchVerdict verdict = net.r(1).handleFetch(foreign, net.now);
    QuorumFetchResponse response = ((QuorumReplica.FetchVerdict.Answer) verdict).response();
    assertThat(response.error()).isEqualTo(Errors.INCONSISTENT_CLUSTER_ID);
  }

  @Test
  void votersChangeOneAtATimeAndOnlyOnceTheLastChangeIsCommitted() {
    Net net = new Net(1, 2, 3);
    net.formCluster(1);
    VoterSet voters = net.r(1).voters().orElseThrow();
    assertThat(voters.ids()).containsExactly(1, 2, 3);
    ReplicaKey four = new ReplicaKey(4, new Uuid(7, 4).toString());
    ReplicaKey five = new ReplicaKey(5, new Uuid(7, 5).toString());
    assertThatThrownBy(() -> net.r(1).appendVoters(voters.with(four).with(five), net.r(1).epoch(), net.now))
        .isInstanceOf(IllegalArgumentException.class);
    net.cut.add(2);
    net.cut.add(3);
    net.r(1).appendVoters(voters.without(3), net.r(1).epoch(), net.now);
    assertThat(net.r(1).canChangeVoters()).isFalse();
    assertThatThrownBy(() -> net.r(1).appendVoters(voters.without(3).without(2), net.r(1).epoch(), net.now))
        .isInstanceOf(NotControllerException.class);
  }
}
