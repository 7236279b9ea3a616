package io.brook.cluster.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ControllerElection} on a local (non-clustered) Vert.x, whose shared-data lock and counter stand
 * in for the cluster's, with a hand-driven clock and membership. Closing the Vert.x loses the counter,
 * as a full restart does with Hazelcast.
 */
class ControllerElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Fast real ticks; lease, pauses, quarantine and liveness follow the manual clock. */
  static final ElectionConfig CONFIG = new ElectionConfig(Map.of(
      ElectionConfig.LEASE_CHECK_INTERVAL_MS, 50,
      ElectionConfig.LOCK_WAIT_MS, 200,
      ElectionConfig.STUCK_MS, 2000));

  @TempDir
  Path dir;

  private final ManualClock clock = new ManualClock();
  private final FakeMembership membership = new FakeMembership();
  private final List<Vertx> vertxes = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Vertx v : vertxes) {
      v.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void electsItselfPersistsTheEpochAndCallsBackOnItsContext() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    assertThat(a.election.epoch()).isEqualTo(1);
    assertThat(a.listener.events).containsExactly("elected 1");
    assertThat(a.listener.wrongContext).isFalse();
    assertThat(a.election.knownEpoch()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("a").resolve(ControllerEpochStore.FILE_NAME))).isEqualTo("1 a\n");
    assertThat(counter(a.vertx).get().await()).isEqualTo(1);
  }

  @Test
  void leaseExpiresOnTheInjectedClockAndASuccessfulCheckRenewsIt() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    // on the election's context no check can run in between: 2.6 s since the last check started
    assertThat(a.onContext(() -> {
      clock.advanceMs(2600);
      return a.election.mayAct();
    })).isFalse();
    assertThat(a.election.isController()).isTrue();
    // 2.6 s is below the pause threshold: the next tick checks at once and the lease is back
    await().atMost(WAIT).until(a.election::mayAct);
    assertThat(a.listener.events).containsExactly("elected 1");
  }

  @Test
  void aPauseStopsActingUntilProbationEndsWithTheMembershipIntact() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    clock.advanceMs(4000); // SIGSTOP, shorter than controller.pause.stepdown.ms
    assertThat(a.election.mayAct()).isFalse(); // even before any tick noticed
    await().atMost(WAIT).until(() -> a.election.lease().onProbation());
    clock.advanceMs(2000);
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !a.election.mayAct());
    clock.advanceMs(1100);
    await().atMost(WAIT).until(a.election::mayAct);
    assertThat(a.election.epoch()).isEqualTo(1);
    assertThat(a.listener.events).containsExactly("elected 1");
  }

  @Test
  void aPauseLongEnoughToHaveBeenReplacedStepsDownEvenWithTheViewIntact() throws Exception {
    // proves: after a pause past controller.pause.stepdown.ms the controller does not trust a view that
    // may lag (the others may have removed it): it steps down and quarantines at once
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    clock.advanceMs(30_000); // SIGSTOP
    await().atMost(WAIT).until(() -> !a.election.isController());
    assertThat(a.listener.events).containsExactly("elected 1", "resigned 1: paused for 30000 ms");
    assertThat(lockIsFree(a.vertx)).isFalse();
    a.passTime(15_100); // the view was intact all along: quarantine ends after its period
    await().atMost(WAIT).until(() -> a.election.epoch() == 2 && a.election.mayAct());
  }

  @Test
  void aPauseThatCostTheMembershipStepsDownAndQuarantinesWithoutReleasingTheLock() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    clock.advanceMs(4000);
    await().atMost(WAIT).until(() -> a.election.lease().onProbation());
    membership.nodes = List.of("me", "c"); // b removed us, or we it: either way the view changed
    await().atMost(WAIT).until(() -> !a.election.isController());
    assertThat(a.listener.events).containsExactly("elected 1", "resigned 1: membership lost after a pause");
    // quarantined: the lock is neither released nor campaigned for
    assertThat(lockIsFree(a.vertx)).isFalse();
    a.passTime(14_000);
    assertThat(lockIsFree(a.vertx)).isFalse();
    a.passTime(1100);
    // still quarantined: the view has not healed (the lock stays held, nobody campaigns)
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !lockIsFree(a.vertx) && !a.election.isController());
    membership.nodes = List.of("me", "b", "c"); // the split healed
    // then the counter still holds epoch 1: the lock was really ours, released, and won again
    await().atMost(WAIT).until(() -> a.election.epoch() == 2 && a.election.mayAct());
    assertThat(a.listener.events).endsWith("elected 2");
  }

  @Test
  void releasesTheLockOnlyIfTheCounterStillHoldsMyEpoch() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    // someone else allocated epoch 5: with Hazelcast, release() would be forceUnlock of their lock
    assertThat(counter(a.vertx).compareAndSet(1, 5).await()).isTrue();
    await().atMost(WAIT).until(() -> !a.election.isController());
    assertThat(a.listener.events).containsExactly("elected 1", "resigned 1: counter is 5 > my epoch 1");
    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !lockIsFree(a.vertx));
    assertThat(counter(a.vertx).get().await()).isEqualTo(5);

    // nobody can be elected while the lock is held: the liveness fallback fires after controller.stuck.ms
    clock.advanceMs(2100);
    await().atMost(WAIT).until(() -> a.listener.events.contains("stuck"));
  }

  @Test
  void resignReleasesTheLockWhenTheCounterHoldsMyEpochAndStaysOut() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    a.election.resign("lost the broker majority");
    await().atMost(WAIT).until(() -> a.listener.events.contains("resigned 1: lost the broker majority"));
    await().atMost(WAIT).until(() -> lockIsFree(a.vertx)); // and a stays out of the election meanwhile
    a.passTime(15_100);
    await().atMost(WAIT).until(() -> a.election.epoch() == 2);
  }

  @Test
  void epochNeverGoesBackwardsAcrossAFullRestart() throws Exception {
    Vertx first = vertx();
    assertThat(counter(first).compareAndSet(0, 6).await()).isTrue();
    Node a = node(first, "a");
    a.start();
    await().atMost(WAIT).until(() -> a.election.epoch() == 7);
    first.close().await(10, TimeUnit.SECONDS); // the counter is gone, as Hazelcast's after a full restart

    Vertx second = vertx();
    assertThat(counter(second).get().await()).isZero();
    Node again = node(second, "a"); // same data dir
    again.start();
    await().atMost(WAIT).until(again.election::mayAct);
    assertThat(again.election.epoch()).isEqualTo(8); // max(counter 0, disk 7) + 1
    assertThat(again.election.knownEpoch()).isEqualTo(8);
  }

  @Test
  void aHigherPersistedEpochRaisesTheCounterSoTheNextElectionGoesAboveIt() throws Exception {
    Vertx vertx = vertx();
    Node a = node(vertx, "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    Node c = node(vertx, "c"); // empty disk, waits for the lock
    c.start();
    // a broker (after a full restart) holds epoch 102 and refuses a's epoch 1
    a.election.onHigherEpochSeen(102);
    await().atMost(WAIT).until(() -> a.listener.events.size() == 2);
    assertThat(a.listener.events.get(1)).startsWith("resigned 1: a broker knows controller epoch 102");
    await().atMost(WAIT).until(() -> a.election.mayAct() || c.election.mayAct());
    Node winner = a.election.isController() ? a : c;
    assertThat(winner.election.epoch()).isEqualTo(103);
    assertThat(counter(vertx).get().await()).isEqualTo(103);
  }

  @Test
  void acceptEpochFencesLowerAndReusedEpochs() throws Exception {
    Vertx vertx = vertx();
    Node a = node(vertx, "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    Node b = node(vertx, "b");
    b.start();
    assertThat(b.election.acceptEpoch(1, "a").await()).isTrue();
    assertThat(b.election.knownEpoch()).isEqualTo(1);
    assertThat(b.election.acceptEpoch(1, "a").await()).isTrue();
    assertThat(b.election.acceptEpoch(1, "x").await()).isFalse(); // one epoch, two controllers
    assertThat(b.election.acceptEpoch(0, "a").await()).isFalse();
    assertThat(b.election.acceptEpoch(4, "x").await()).isTrue();
    assertThat(Files.readString(dir.resolve("b").resolve(ControllerEpochStore.FILE_NAME))).isEqualTo("4 x\n");

    // the controller itself hears of a newer one: it steps down at once
    assertThat(a.election.acceptEpoch(4, "x").await()).isTrue();
    assertThat(a.election.mayAct()).isFalse();
    assertThat(a.listener.events).containsExactly("elected 1", "resigned 1: controller x claims epoch 4 (mine 1)");
    await().atMost(WAIT).until(() -> a.election.epoch() >= 5 || b.election.epoch() >= 5);
  }

  @Test
  void stopReleasesTheLock() throws Exception {
    Node a = node(vertx(), "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    a.election.stop().await(10, TimeUnit.SECONDS);
    assertThat(a.election.isController()).isFalse();
    assertThat(a.listener.events).containsExactly("elected 1", "resigned 1: election stopped");
    assertThat(lockIsFree(a.vertx)).isTrue();
  }

  @Test
  void stopWhileWaitingForTheLockReturns() throws Exception {
    Vertx vertx = vertx();
    Node a = node(vertx, "a");
    a.start();
    await().atMost(WAIT).until(a.election::mayAct);
    Node b = node(vertx, "b");
    b.start();
    b.election.stop().await(10, TimeUnit.SECONDS);
    assertThat(b.listener.events).isEmpty();
    assertThat(a.election.mayAct()).isTrue();
  }

  // ---------------------------------------------------------------- helpers

  private Vertx vertx() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    return vertx;
  }

  private Node node(Vertx vertx, String id) {
    return new Node(vertx, new ControllerElection(vertx, id, CONFIG, new ControllerEpochStore(dir.resolve(id)), clock,
        membership));
  }

  private static Counter counter(Vertx vertx) {
    return vertx.sharedData().getCounter(EpochCounter.NAME).await();
  }

  private static boolean lockIsFree(Vertx vertx) {
    try {
      Lock lock = vertx.sharedData().getLockWithTimeout(ControllerElection.LOCK_NAME, 100).await();
      lock.release();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static final class FakeMembership implements Membership {
    volatile List<String> nodes = List.of("me", "b", "c");

    @Override
    public String self() {
      return "me";
    }

    @Override
    public Collection<String> nodes() {
      return nodes;
    }
  }

  final class Node {
    final Vertx vertx;
    final ControllerElection election;
    final RecordingListener listener = new RecordingListener();
    final Context context;

    /** Moves the clock in steps below the pause threshold, one tick each: time passing, not a pause. */
    void passTime(long ms) {
      for (long left = ms; left > 0; left -= 1000) {
        long ticked = election.ticks();
        clock.advanceMs(Math.min(1000, left));
        await().atMost(WAIT).until(() -> election.ticks() > ticked);
      }
    }

    Node(Vertx vertx, ControllerElection election) {
      this.vertx = vertx;
      this.election = election;
      this.context = vertx.getOrCreateContext();
      listener.expected = context;
    }

    void start() throws Exception {
      onContext(() -> election.start(listener)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    <T> T onContext(Callable<T> action) throws Exception {
      CompletableFuture<T> result = new CompletableFuture<>();
      context.runOnContext(v -> {
        try {
          result.complete(action.call());
        } catch (Exception e) {
          result.completeExceptionally(e);
        }
      });
      return result.get(10, TimeUnit.SECONDS);
    }
  }
}
